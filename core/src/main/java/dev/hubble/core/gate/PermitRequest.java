package dev.hubble.core.gate;

import java.time.Instant;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * A job's request for a permit.
 *
 * @param jobId the job, which is also the id of the workflow the gate signals when it grants
 * @param priority higher is granted first, whatever the source
 * @param requestedAt when the job asked (workflow time). It names the request: each request of a
 *     job is later than the one before, a grant names the request it answers and a release the
 *     request it gives back, so a late grant or release never counts for another request
 * @param source who submitted the job; within a priority, sources take turns (see {@link
 *     GatePolicy}); null is the empty source
 * @param acceptedAt when the API accepted the job; within a source, jobs are granted in this
 *     order, then by job id, whatever order their workflows reach the gate; null means {@code
 *     requestedAt}
 */
public record PermitRequest(
        String jobId,
        int priority,
        Instant requestedAt,
        @Nullable String source,
        @Nullable Instant acceptedAt) {

    public PermitRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        source = source == null ? "" : source;
        acceptedAt = acceptedAt == null ? requestedAt : acceptedAt;
    }

    /** A request of no particular source, in line from when it asked. */
    public PermitRequest(String jobId, int priority, Instant requestedAt) {
        this(jobId, priority, requestedAt, "", requestedAt);
    }

    /** The same request asked anew at {@code at}: same job, priority, source and place in line. */
    public PermitRequest askedAt(Instant at) {
        return new PermitRequest(jobId, priority, at, source, acceptedAt);
    }
}
