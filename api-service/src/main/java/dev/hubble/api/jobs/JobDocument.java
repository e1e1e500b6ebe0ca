package dev.hubble.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * A job as the API shows it ({@code GET /v1/jobs/{jobId}}); null fields are left out.
 *
 * @param timeout ISO-8601, e.g. {@code PT6H}
 * @param error why the job failed, once it has
 * @param result the files a successful job wrote, with links signed for this response
 * @param historyUrl the workflow in the Temporal Web UI, when {@code hubble.temporal.ui-url} is set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobDocument(
        String jobId,
        JobState state,
        String driver,
        OutputFormat format,
        String source,
        @Nullable String sourceId,
        @Nullable String sourceKind,
        @Nullable String sourceVersion,
        int priority,
        String timeout,
        Map<String, String> parameters,
        @Nullable String parentJobId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable ErrorInfo error,
        @Nullable ResultInfo result,
        @Nullable String historyUrl) {

    /** Why a job failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorInfo(String message, @Nullable String detail) {
    }

    /** What a successful job wrote. */
    record ResultInfo(OutputFormat format, List<ResultLink> files) {
    }

    /** One result file and a link that downloads it until {@code expiresAt}. */
    record ResultLink(String name, URI url, Instant expiresAt, long sizeBytes) {
    }
}
