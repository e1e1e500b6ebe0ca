package dev.hubble.core.job;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * What a successful job wrote: a manifest small enough for every record, Temporal payload and
 * status event, whatever the job wrote. It names at most {@value #MAX_LISTED_FILES} files, the
 * first by name; {@code fileCount} and {@code totalBytes} count all of them, and
 * {@code GET /v1/jobs/{id}/results} pages through every one.
 *
 * @param format the output format the job was asked for
 * @param location the job's result location; null in records written before locations existed
 * @param files the first result files by name, at most {@value #MAX_LISTED_FILES}
 * @param fileCount how many result files the job wrote
 * @param totalBytes their total size
 */
public record JobResult(
        OutputFormat format, @Nullable URI location, List<ResultFile> files, long fileCount, long totalBytes) {

    /** The most files a manifest names; the rest are reached by paging. */
    public static final int MAX_LISTED_FILES = 1000;

    public JobResult {
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
        if (files.size() > MAX_LISTED_FILES) {
            throw new IllegalArgumentException(
                    "a manifest names at most " + MAX_LISTED_FILES + " files, got " + files.size());
        }
        if (fileCount == 0 && totalBytes == 0) {
            // A record written before the counts existed: its list was complete.
            fileCount = files.size();
            totalBytes = files.stream().mapToLong(ResultFile::sizeBytes).sum();
        }
        if (fileCount < files.size() || totalBytes < 0) {
            throw new IllegalArgumentException("fileCount " + fileCount + " below the " + files.size()
                    + " files listed, or negative totalBytes " + totalBytes);
        }
    }

    /** A complete manifest of {@code files}, with no location recorded. */
    public JobResult(OutputFormat format, List<ResultFile> files) {
        this(format, null, files, 0, 0);
    }

    /** Whether the manifest names every file the job wrote. */
    public boolean complete() {
        return fileCount == files.size();
    }
}
