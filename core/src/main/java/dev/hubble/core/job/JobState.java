package dev.hubble.core.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job is in its life. A job moves only forward through
 * {@code QUEUED → SUBMITTED → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMED_OUT};
 * a terminal state is never left.
 */
public enum JobState {
    /** Accepted by Hubble, waiting to be handed to its engine. */
    QUEUED,
    /** Handed to the engine, which has not reported it running yet. */
    SUBMITTED,
    /** The engine reports the job running. */
    RUNNING,
    /** Finished; the result files are recorded. */
    SUCCEEDED,
    /** Finished with an error. */
    FAILED,
    /** Cancelled on request. */
    CANCELLED,
    /** Killed because it ran past its timeout. */
    TIMED_OUT;

    private static final Set<JobState> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);

    /** Whether the job has finished; a terminal state is final. */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /**
     * Whether a job in this state may move to {@code next}: forward only, never out of a terminal
     * state, and never to the same state twice.
     */
    public boolean canMoveTo(JobState next) {
        return !isTerminal() && next.ordinal() > ordinal();
    }
}
