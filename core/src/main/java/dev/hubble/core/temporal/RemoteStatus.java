package dev.hubble.core.temporal;

import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * What one poll of a remote job saw: its phase, the engine's own words about it, and where the
 * engine runs it.
 *
 * @param details what the poll learned about where the job runs; null when it learned nothing
 */
public record RemoteStatus(
        RemotePhase phase,
        @Nullable String message,
        @Nullable RemoteDetails details) {

    public RemoteStatus {
        Objects.requireNonNull(phase, "phase");
    }

    /** A status with nothing learned about where the job runs. */
    public RemoteStatus(RemotePhase phase, @Nullable String message) {
        this(phase, message, null);
    }

    public static RemoteStatus of(RemotePhase phase) {
        return new RemoteStatus(phase, null);
    }

    /** This status with what the poll learned about where the job runs. */
    public RemoteStatus withDetails(@Nullable RemoteDetails details) {
        return new RemoteStatus(phase, message, details);
    }
}
