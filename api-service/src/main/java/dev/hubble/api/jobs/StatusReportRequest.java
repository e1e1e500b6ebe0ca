package dev.hubble.api.jobs;

import org.springframework.lang.Nullable;

/**
 * The body of {@code POST /v1/jobs/{jobId}/status}: a running job says how it is doing. Raw as
 * sent; {@link JobRequestValidator#toProgress} checks it.
 *
 * @param phase {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}; required
 * @param message the job's own words
 */
record StatusReportRequest(@Nullable String phase, @Nullable String message) {}
