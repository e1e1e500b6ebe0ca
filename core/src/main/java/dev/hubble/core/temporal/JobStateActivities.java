package dev.hubble.core.temporal;

import dev.hubble.core.job.JobRecord;
import io.temporal.activity.ActivityInterface;

/**
 * Records a job's transitions where its readers find them. Idempotent: recording the same
 * record twice, or an older one after a newer one, changes nothing.
 */
@ActivityInterface(namePrefix = "JobState")
public interface JobStateActivities {

    /** Stores {@code record} unless a record with the same or a higher sequence is stored. */
    void record(JobRecord record);
}
