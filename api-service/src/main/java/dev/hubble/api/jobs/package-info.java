/**
 * Jobs over REST: {@code POST /v1/jobs} validates a request and starts the job's workflow,
 * {@code GET /v1/jobs[/{jobId}]} answers from the job store (falling back to the workflow's
 * query), {@code DELETE /v1/jobs/{jobId}} cancels the workflow, and
 * {@code POST /v1/jobs/{jobId}/errors} signals an error a running job reports about itself.
 *
 * <p>Submission starts the workflow first and writes the QUEUED record second: the workflow is
 * the authority and records its own transitions, so a job is never in the store without a
 * workflow, and a store outage does not stop submissions. Job ids are UUIDs, derived from
 * {@code Idempotency-Key} and {@code source} when a key is given, so a retried request finds the
 * job it created.
 */
@NonNullApi
package dev.hubble.api.jobs;

import org.springframework.lang.NonNullApi;
