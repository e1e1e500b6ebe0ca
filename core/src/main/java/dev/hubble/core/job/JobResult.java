package dev.hubble.core.job;

import java.util.List;
import java.util.Objects;

/** The files a successful job wrote, in its output format. */
public record JobResult(OutputFormat format, List<ResultFile> files) {

    public JobResult {
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
    }
}
