package dev.hubble.core.temporal;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link JobActivities#watch} watches a remote job: the phase the workflow knows it in, how
 * often to look, and how long one watch may last.
 *
 * @param knownPhase the phase the workflow last saw; a watch ends as soon as the engine reports
 *     another one
 * @param pollInitial the wait after the first poll, which is made at once
 * @param pollFactor how much the wait grows after each poll
 * @param pollMax the longest wait between polls
 * @param window how long one watch lasts at most; it then returns what it last saw, so the
 *     workflow can continue as new, and a watch nobody waits for any more ends
 * @param maxNotFound polls in a row that may find no remote job before the watch reports it gone
 */
public record WatchRequest(
        RemotePhase knownPhase,
        Duration pollInitial,
        double pollFactor,
        Duration pollMax,
        Duration window,
        int maxNotFound) {

    public WatchRequest {
        Objects.requireNonNull(knownPhase, "knownPhase");
        Objects.requireNonNull(pollInitial, "pollInitial");
        Objects.requireNonNull(pollMax, "pollMax");
        Objects.requireNonNull(window, "window");
        checkPolls(pollInitial, pollFactor, pollMax);
        if (window.isNegative() || window.isZero() || maxNotFound < 1) {
            throw new IllegalArgumentException("window and maxNotFound must be positive");
        }
    }

    /**
     * Checks a growing poll interval: a positive first wait, a factor of at least 1, a cap no
     * shorter than the first wait.
     *
     * @throws IllegalArgumentException naming the settings when they do not hold
     */
    public static void checkPolls(Duration pollInitial, double pollFactor, Duration pollMax) {
        if (pollInitial.isNegative()
                || pollInitial.isZero()
                || pollMax.compareTo(pollInitial) < 0
                || pollFactor < 1.0) {
            throw new IllegalArgumentException(
                    "bad poll settings: " + pollInitial + " x" + pollFactor + " up to " + pollMax);
        }
    }

    /** This watch, lasting at most {@code window}. */
    public WatchRequest withWindow(Duration window) {
        return new WatchRequest(knownPhase, pollInitial, pollFactor, pollMax, window, maxNotFound);
    }

    /** The wait after {@code current}: grown by the factor, capped. */
    public Duration nextInterval(Duration current) {
        long grown = (long) Math.min(Long.MAX_VALUE, current.toMillis() * pollFactor);
        return grown >= pollMax.toMillis() ? pollMax : Duration.ofMillis(grown);
    }
}
