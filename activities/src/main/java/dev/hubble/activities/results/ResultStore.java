package dev.hubble.activities.results;

import dev.hubble.core.job.ResultFile;
import java.net.URI;
import java.util.List;

/**
 * Where jobs write their result files: one output location per job. Implementations are
 * thread-safe and their methods idempotent.
 */
public interface ResultStore {

    /**
     * The location job {@code jobId} writes its result files into: a {@code file:} URI of a
     * directory locally, an {@code s3:} prefix on AWS. Creates it where that is needed.
     */
    URI output(String jobId);

    /**
     * The result files job {@code jobId} wrote, sorted by name. Files whose names start with
     * {@code .} or {@code _} (temporary files, markers) are not results.
     */
    List<ResultFile> list(String jobId);
}
