package dev.hubble.activities.livy;

import dev.hubble.core.temporal.RemotePhase;
import java.util.Map;
import java.util.Optional;

/**
 * Livy's session states (0.7, {@code org.apache.livy.sessions.SessionState}) as remote phases.
 * Every state is named, so a new one is noticed rather than guessed.
 */
final class LivyStates {

    private static final Map<String, RemotePhase> PHASES = Map.ofEntries(
            // Accepted, the application not running yet (YARN: waiting for a container).
            Map.entry("not_started", RemotePhase.PENDING),
            Map.entry("starting", RemotePhase.PENDING),
            // A restarted Livy finding its batches again: the application was already running.
            Map.entry("recovering", RemotePhase.RUNNING),
            // Interactive-session states, which a batch does not take, but mean it is alive.
            Map.entry("idle", RemotePhase.RUNNING),
            Map.entry("busy", RemotePhase.RUNNING),
            Map.entry("running", RemotePhase.RUNNING),
            // Ending, outcome not known yet: the next poll sees success, dead or killed.
            Map.entry("shutting_down", RemotePhase.RUNNING),
            // The application failed (non-zero exit, YARN FAILED) or Livy could not start it.
            Map.entry("error", RemotePhase.FAILED),
            Map.entry("dead", RemotePhase.FAILED),
            Map.entry("killed", RemotePhase.CANCELLED),
            Map.entry("success", RemotePhase.SUCCEEDED));

    private LivyStates() {}

    /** The phase of a Livy state; empty for a state this driver does not know. */
    static Optional<RemotePhase> phase(String state) {
        return Optional.ofNullable(PHASES.get(state));
    }
}
