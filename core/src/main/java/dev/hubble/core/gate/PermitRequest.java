package dev.hubble.core.gate;

import java.time.Instant;
import java.util.Objects;

/**
 * A job's request for a permit.
 *
 * @param jobId the job, which is also the id of the workflow the gate signals when it grants
 * @param priority higher is granted first; equal priorities are granted in arrival order
 * @param requestedAt when the job asked (workflow time), for diagnostics
 */
public record PermitRequest(String jobId, int priority, Instant requestedAt) {

    public PermitRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
    }
}
