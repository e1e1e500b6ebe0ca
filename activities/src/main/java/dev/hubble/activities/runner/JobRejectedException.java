package dev.hubble.activities.runner;

import org.springframework.lang.Nullable;

/**
 * The engine refused a job, or ran it and it cannot succeed by being tried again: a SQL syntax
 * error, a missing table, an unknown program. The message is shown to the user as the job's
 * error.
 */
public class JobRejectedException extends RuntimeException {

    private final @Nullable String detail;

    public JobRejectedException(String message, @Nullable String detail) {
        super(message);
        this.detail = detail;
    }

    public JobRejectedException(String message) {
        this(message, null);
    }

    /** Longer detail for the job's error, when there is any. */
    public @Nullable String detail() {
        return detail;
    }
}
