package dev.hubble.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hubble.core.view.JobDocument;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * The answer of {@code GET /v1/jobs/{jobId}/results}: one page of a job's result files, in name
 * order, each with a fresh link.
 *
 * @param location where the files are
 * @param fileCount how many files the job wrote, on every page
 * @param next the {@code cursor} of the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ResultFileList(
        String jobId,
        @Nullable String location,
        List<JobDocument.ResultLink> files,
        long fileCount,
        @Nullable String next) {}
