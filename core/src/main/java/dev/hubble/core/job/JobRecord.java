package dev.hubble.core.job;

import dev.hubble.core.temporal.RemoteDetails;
import java.time.Instant;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * Everything Hubble knows about one job at one moment: what was asked, where it is, and how it
 * ended. The workflow owns the authoritative copy; the state store holds the newest one it was
 * given.
 *
 * <p>{@code sequence} counts the job's recorded transitions. It orders copies of the record, so a
 * store never lets an older copy overwrite a newer one, and it names each status event.
 *
 * @param jobId the job's id, also its workflow id
 * @param spec what was asked
 * @param state where the job is
 * @param sequence 0 for the copy written at submission, then one more per recorded transition
 * @param createdAt when the job was accepted
 * @param updatedAt when the state last changed
 * @param error why the job failed, when it did
 * @param result what a successful job wrote
 * @param remote where the engine runs (or ran) the job, once a poll learned it
 */
public record JobRecord(
        String jobId,
        JobSpec spec,
        JobState state,
        long sequence,
        Instant createdAt,
        Instant updatedAt,
        @Nullable JobError error,
        @Nullable JobResult result,
        @Nullable RemoteDetails remote) {

    public JobRecord {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
    }

    /** A record with nothing known of where the engine runs the job. */
    public JobRecord(
            String jobId,
            JobSpec spec,
            JobState state,
            long sequence,
            Instant createdAt,
            Instant updatedAt,
            @Nullable JobError error,
            @Nullable JobResult result) {
        this(jobId, spec, state, sequence, createdAt, updatedAt, error, result, null);
    }

    /** A just-accepted job: QUEUED, sequence 0. */
    public static JobRecord accepted(String jobId, JobSpec spec, Instant now) {
        return new JobRecord(jobId, spec, JobState.QUEUED, 0, now, now, null, null);
    }

    /**
     * This record moved to {@code next}, with the next sequence number.
     *
     * @throws IllegalStateException if the job may not move to {@code next}
     */
    public JobRecord moveTo(JobState next, Instant now, @Nullable JobError error, @Nullable JobResult result) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + jobId + " cannot move from " + state + " to " + next);
        }
        return new JobRecord(jobId, spec, next, sequence + 1, createdAt, now, error, result, remote);
    }

    /**
     * This record, recorded again without a change of state (the first record a workflow makes of
     * the QUEUED state it was started in).
     */
    public JobRecord recordedAgain(Instant now) {
        return new JobRecord(jobId, spec, state, sequence + 1, createdAt, now, error, result, remote);
    }

    /**
     * This record with what a poll learned about where the engine runs the job, added to what was
     * known; not a transition (the sequence stays), so it is recorded with the next one.
     */
    public JobRecord withRemote(@Nullable RemoteDetails learned) {
        if (learned == null || learned.isEmpty()) {
            return this;
        }
        RemoteDetails known = remote == null ? learned : remote.updatedWith(learned);
        return known.equals(remote)
                ? this
                : new JobRecord(jobId, spec, state, sequence, createdAt, updatedAt, error, result, known);
    }
}
