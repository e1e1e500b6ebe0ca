package dev.hubble.core.temporal;

import java.util.Objects;
import org.springframework.lang.Nullable;

/** What one poll of a remote job saw: its phase and the engine's own words about it. */
public record RemoteStatus(RemotePhase phase, @Nullable String message) {

    public RemoteStatus {
        Objects.requireNonNull(phase, "phase");
    }

    public static RemoteStatus of(RemotePhase phase) {
        return new RemoteStatus(phase, null);
    }
}
