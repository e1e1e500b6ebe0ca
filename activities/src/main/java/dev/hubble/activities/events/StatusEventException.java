package dev.hubble.activities.events;

/**
 * A status event was not acknowledged in time: the broker is unreachable, too slow, or refused
 * it. Transient by nature; the activity that publishes fails and Temporal retries it.
 */
public final class StatusEventException extends RuntimeException {

    public StatusEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
