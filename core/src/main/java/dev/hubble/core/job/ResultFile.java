package dev.hubble.core.job;

import java.util.Objects;

/**
 * One file a job wrote as its result, named relative to the job's output location.
 */
public record ResultFile(String name, long sizeBytes) {

    public ResultFile {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.startsWith("/") || name.contains("..")) {
            throw new IllegalArgumentException("not a relative file name: " + name);
        }
    }
}
