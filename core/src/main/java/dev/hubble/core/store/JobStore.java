package dev.hubble.core.store;

import dev.hubble.core.job.JobRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the newest record of every job, so that status reads never have to ask Temporal.
 *
 * <p>Implementations are thread-safe. They throw Spring's {@code DataAccessException} when the
 * store cannot be reached; callers that can answer some other way catch it.
 */
public interface JobStore {

    /**
     * Stores {@code record} unless a record of the same job with the same or a higher sequence
     * is already stored, atomically, so an older state never overwrites a newer one.
     *
     * @return whether the record was stored
     */
    boolean save(JobRecord record);

    /** The stored record of a job. */
    Optional<JobRecord> find(String jobId);

    /** Stored records matching {@code query}, newest first. */
    List<JobRecord> list(JobQuery query);

    /** The ids of the jobs submitted with {@code jobId} as their parent, oldest first. */
    List<String> children(String jobId);

    /**
     * The stored record of a job with the ids of its children ({@link #find} and {@link
     * #children}), in one round trip where the store can.
     */
    default Optional<StoredJob> findWithChildren(String jobId) {
        return find(jobId).map(record -> new StoredJob(record, children(jobId)));
    }

    /** A stored record and the ids of the jobs submitted with it as their parent, oldest first. */
    record StoredJob(JobRecord record, List<String> children) {

        public StoredJob {
            Objects.requireNonNull(record, "record");
            children = List.copyOf(children);
        }
    }
}
