package dev.hubble.core.temporal;

/** A remote job's state as its driver maps the engine's own states. */
public enum RemotePhase {
    /** Accepted by the engine, not running yet. */
    PENDING,
    /** Running. */
    RUNNING,
    /** Finished successfully. */
    SUCCEEDED,
    /** Finished with an error. */
    FAILED,
    /** Killed at the engine. */
    CANCELLED,
    /** The engine does not know the job (yet, or any more): look again later. */
    NOT_FOUND;

    /** Whether the remote job has finished. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
