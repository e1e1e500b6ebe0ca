package dev.hubble.core.job;

import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * Why a job failed: a one-line message for people and an optional longer detail (a stack
 * trace, a log tail).
 */
public record JobError(String message, @Nullable String detail) {

    public JobError {
        Objects.requireNonNull(message, "message");
    }

    /** An error with a message only. */
    public static JobError of(String message) {
        return new JobError(message, null);
    }
}
