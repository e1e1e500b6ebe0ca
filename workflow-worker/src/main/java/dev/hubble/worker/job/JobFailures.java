package dev.hubble.worker.job;

import dev.hubble.core.job.JobError;
import dev.hubble.core.temporal.JobActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import org.springframework.lang.Nullable;

/**
 * Turns failures of the job's activities into the job's error. Total: whatever a failure holds
 * (no message, no cause, details of another type), it gives words, so mapping a failure can
 * never fail the workflow task that maps it.
 */
final class JobFailures {

    /** The longest message kept from a failure; the rest goes to the detail. */
    static final int MAX_MESSAGE = 2_000;

    private JobFailures() {}

    /**
     * The error of an activity that failed the job: the activity's own message and detail when it
     * failed on purpose (an {@link ApplicationFailure}), else {@code fallback} with the failure's
     * words as detail.
     */
    static JobError errorOf(Throwable failure, String fallback) {
        Throwable cause = rootCause(failure);
        if (cause instanceof ApplicationFailure application) {
            String message = text(application.getOriginalMessage());
            return new JobError(message == null ? fallback : clip(message), detailOf(application));
        }
        return new JobError(fallback, messageOf(failure));
    }

    /** The failure's own words, never null. */
    static String messageOf(@Nullable Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable cause = rootCause(failure);
        if (cause instanceof TimeoutFailure timeout && timeout.getCause() != null) {
            // Retries ran out of time: what the last attempt said is the useful part.
            return "timed out; the last attempt failed with: " + messageOf(timeout.getCause());
        }
        String message = cause instanceof TemporalFailure temporal
                ? text(temporal.getOriginalMessage())
                : text(cause.getMessage());
        return message == null ? cause.getClass().getSimpleName() : clip(message);
    }

    /** Whether the activity's engine refused the job for good. */
    static boolean isRejection(@Nullable Throwable failure) {
        return failure != null
                && rootCause(failure) instanceof ApplicationFailure application
                && JobActivities.JOB_REJECTED.equals(application.getType());
    }

    private static @Nullable String detailOf(ApplicationFailure application) {
        try {
            if (application.getDetails() == null || application.getDetails().getSize() == 0) {
                return null;
            }
            Object detail = application.getDetails().get(0, Object.class, Object.class);
            return detail == null ? null : text(detail.toString());
        } catch (RuntimeException unreadable) {
            return null; // details of a shape we cannot read are not worth failing the job over
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        // An ActivityFailure wraps what the activity threw; anything deeper is the activity's own.
        if (cause instanceof ActivityFailure && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static @Nullable String text(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String clip(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
