package dev.hubble.core.temporal;

import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import java.time.Instant;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * What a job workflow carries into its next run when it continues as new, besides the job's
 * record.
 *
 * @param handle the remote job, once submitted
 * @param deadline when the job times out
 * @param polls watches made so far, over all runs
 * @param reportedError the first error the job reported about itself
 * @param permitHeld whether the job holds a permit of its driver's gate, which the next run
 *     takes over and releases
 * @param unrecorded transitions not recorded yet, oldest first, which the next run records
 */
public record JobProgress(
        @Nullable RunHandle handle,
        Instant deadline,
        long polls,
        @Nullable JobError reportedError,
        boolean permitHeld,
        @Nullable List<JobRecord> unrecorded) {

    public JobProgress {
        unrecorded = unrecorded == null ? List.of() : List.copyOf(unrecorded);
    }
}
