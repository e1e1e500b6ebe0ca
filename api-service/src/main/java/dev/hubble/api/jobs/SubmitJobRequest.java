package dev.hubble.api.jobs;

import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * The body of {@code POST /v1/jobs}, and the data of a {@code hubble.job.submit} command, as sent. Fields are raw (format and timeout as text, every
 * field nullable) so that {@link JobRequestValidator} can report every invalid field at once,
 * by name, instead of failing on the first one while the JSON is read.
 *
 * @param format {@code csv} (default) or {@code parquet}
 * @param priority 0 to 9, higher first; default {@link dev.hubble.core.job.JobSpec#DEFAULT_PRIORITY}
 * @param timeout an ISO-8601 duration such as {@code PT30M}; default {@code hubble.api.default-timeout}
 * @param parameters named string parameters; names match {@code [A-Za-z_][A-Za-z0-9_]*}
 */
public record SubmitJobRequest(
        @Nullable String query,
        @Nullable String driver,
        @Nullable String format,
        @Nullable String source,
        @Nullable String sourceId,
        @Nullable String sourceKind,
        @Nullable String sourceVersion,
        @Nullable Integer priority,
        @Nullable String timeout,
        @Nullable Map<String, String> parameters,
        @Nullable String parentJobId) {}
