/**
 * Job commands over Kafka: the API consumes {@code hubble.commands.topic}
 * ({@code hubble.job-commands}) when {@code hubble.commands.enabled=true}.
 *
 * <p>A command is a CloudEvent 1.0 in binary content mode ({@code ce_*} headers, the data as
 * the value) or structured mode ({@code content-type: application/cloudevents+json}, the whole
 * event as the value):
 * <ul>
 *   <li>{@code hubble.job.submit}: the data is the JSON of {@code POST /v1/jobs}, validated the
 *       same way. The job id derives from the event's {@code source} and {@code id}, so the same
 *       event delivered twice (a consumer restart, a rebalance, a producer retry) makes one job.
 *   <li>{@code hubble.job.cancel}: the event's {@code subject}, or {@code jobId} in its JSON
 *       data, names the job. Cancelling a finished job is done already, not an error.
 * </ul>
 *
 * <p>The offset of a record is committed only once its command is carried out (Temporal
 * acknowledged the workflow's start, or the cancellation) or it is safe in the dead-letter topic.
 * A passing failure (Temporal or Redis unreachable) is tried again with a growing wait, without
 * limit and without committing. A command that can never be carried out goes to
 * {@code hubble.commands.dlq-topic} ({@code hubble.job-commands.dlq}) with its original key,
 * value and headers, plus {@code hubble_dlq_reason: <code>: <detail>} (codes in
 * {@link dev.hubble.api.commands.DeadLetterReason}) and {@code hubble_dlq_origin:
 * <topic>-<partition>@<offset>}; the consumer then moves on. Anything unforeseen is tried three
 * times and then dead-lettered as {@code processing-failed}.
 */
@NonNullApi
package dev.hubble.api.commands;

import org.springframework.lang.NonNullApi;
