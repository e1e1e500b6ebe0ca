/**
 * {@code GET /v1/jobs/{id}/log}: the tail of a job's log, for every driver. The API depends on no
 * driver, so it asks a worker of the job's driver: it finds the job's run handle in the workflow's
 * history (the result of its submission) and runs a short {@code JobLogWorkflow} on the driver's
 * task queue, whose one activity calls the runner's {@code logTail}.
 */
@NonNullApi
package dev.hubble.api.logs;

import org.springframework.lang.NonNullApi;
