package dev.hubble.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemoteDetails;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * A job as Hubble shows it: the body of {@code GET /v1/jobs/{jobId}} and the data of every
 * {@code hubble.job.status} event. Null fields are left out.
 *
 * @param timeout ISO-8601, e.g. {@code PT6H}
 * @param error why the job failed, once it has
 * @param result the files a successful job wrote, with links signed when the document was built
 * @param historyUrl the workflow in the Temporal Web UI, when {@code hubble.temporal.ui-url} is set
 * @param queuePosition for a QUEUED job waiting for its driver's gate, its place in line (1 is
 *     next); only {@code GET /v1/jobs/{jobId}} fills it in
 * @param remote where the engine runs (or ran) the job: its id there, its UI and log links, once
 *     a poll learned them
 * @param children the jobs submitted with this one as their parent, oldest first; only
 *     {@code GET /v1/jobs/{jobId}} fills it in, and leaves it out when there are none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobDocument(
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
        @Nullable String historyUrl,
        @Nullable Integer queuePosition,
        @Nullable RemoteDetails remote,
        @Nullable List<String> children) {

    /** This document with the details only a read of the single job looks up. */
    public JobDocument withLiveDetails(@Nullable Integer queuePosition, List<String> children) {
        return new JobDocument(
                jobId,
                state,
                driver,
                format,
                source,
                sourceId,
                sourceKind,
                sourceVersion,
                priority,
                timeout,
                parameters,
                parentJobId,
                createdAt,
                updatedAt,
                error,
                result,
                historyUrl,
                queuePosition,
                remote,
                children.isEmpty() ? null : List.copyOf(children));
    }

    /** Why a job failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorInfo(String message, @Nullable String detail) {}

    /**
     * What a successful job wrote.
     *
     * @param location where its files are, a URI prefix ({@code s3://…/} or {@code file:///…/})
     * @param files the first files by name, with fresh links: up to
     *     {@value dev.hubble.core.job.JobResult#MAX_LISTED_FILES} in a read of the job, up to
     *     {@value dev.hubble.core.view.JobDocuments#EVENT_LISTED_FILES} in a status event;
     *     {@code GET /v1/jobs/{id}/results} pages through all of them
     * @param fileCount how many files the job wrote
     * @param totalBytes their total size
     */
    public record ResultInfo(
            OutputFormat format, @Nullable String location, List<ResultLink> files, long fileCount, long totalBytes) {}

    /**
     * One result file and a link that downloads it until {@code expiresAt}; no link when this
     * installation has no store for the file's location.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResultLink(
            String name, @Nullable URI url, @Nullable Instant expiresAt, long sizeBytes) {}
}
