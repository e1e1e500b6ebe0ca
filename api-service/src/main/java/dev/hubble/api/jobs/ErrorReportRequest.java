package dev.hubble.api.jobs;

import org.springframework.lang.Nullable;

/**
 * The body of {@code POST /v1/jobs/{jobId}/errors}: an error a running job reports about itself.
 * Raw as sent; {@link JobRequestValidator#toError} checks it.
 *
 * @param message one line for people; required
 * @param detail a stack trace or log tail
 */
record ErrorReportRequest(
        @Nullable String message, @Nullable String detail) {}
