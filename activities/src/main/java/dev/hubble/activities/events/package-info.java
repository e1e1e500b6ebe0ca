/**
 * Status events: every transition of every job, published to Kafka from the state activity.
 *
 * <p>The contract (stable; subscribers depend on it): topic {@code hubble.events.status-topic}
 * ({@code hubble.job-status}), CloudEvents 1.0 in binary content mode. Headers
 * {@code ce_specversion: 1.0}, {@code ce_id: <jobId>:<sequence>}, {@code ce_source}
 * ({@code hubble.events.source}, default {@code /hubble}), {@code ce_type: hubble.job.status},
 * {@code ce_subject: <jobId>}, {@code ce_time} (when the transition happened),
 * {@code content-type: application/json}, and {@code ce_sourceid}, {@code ce_sourcekind},
 * {@code ce_sourceversion} when the job has them. Key: the job id. Value: the job document, as
 * {@code GET /v1/jobs/{jobId}} returns it, result links included (but not the live details only
 * a read of one job looks up: {@code queuePosition}, {@code children}).
 *
 * <p>Delivery: at least once, in order per job. The state activity writes Redis first, then
 * sends the event and waits for the broker's acknowledgement ({@code acks=all}, idempotent
 * producer); if Kafka does not acknowledge, the activity fails and Temporal retries it until it
 * does. The job does not wait for it: its workflow's recorder records transitions one after the
 * other while the job carries on, and the workflow closes once all are recorded. A retried activity sends the event
 * again, so subscribers drop events whose {@code ce_id} they have already seen. The first event of
 * a job is QUEUED with sequence 1 (sequence 0 is the API's own QUEUED record, which has no event).
 */
@NonNullApi
package dev.hubble.activities.events;

import org.springframework.lang.NonNullApi;
