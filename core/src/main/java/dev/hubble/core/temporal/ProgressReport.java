package dev.hubble.core.temporal;

import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * What a running job says about itself ({@code POST /v1/jobs/{id}/status}): a hint that wakes the
 * workflow for an immediate poll. The engine's answer to that poll stays the truth.
 *
 * @param phase RUNNING, SUCCEEDED or FAILED
 * @param message the job's own words, if any
 */
public record ProgressReport(RemotePhase phase, @Nullable String message) {

    public ProgressReport {
        Objects.requireNonNull(phase, "phase");
        if (phase != RemotePhase.RUNNING && phase != RemotePhase.SUCCEEDED && phase != RemotePhase.FAILED) {
            throw new IllegalArgumentException("a job reports RUNNING, SUCCEEDED or FAILED, not " + phase);
        }
    }
}
