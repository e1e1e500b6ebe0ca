package dev.hubble.core.temporal;

import dev.hubble.core.job.JobRecord;
import io.temporal.activity.ActivityInterface;

/**
 * Records a job's transitions where its readers find them. Idempotent: recording the same
 * record twice, or an older one after a newer one, changes nothing.
 */
@ActivityInterface(namePrefix = "JobState")
public interface JobStateActivities {

    /**
     * Stores {@code record} unless a record with the same or a higher sequence is stored, then
     * tries once to publish its status event. Fails only when it could not be stored.
     *
     * @return whether the event was published; if not, publish it with {@link #publish}
     */
    boolean storeAndTryPublish(JobRecord record);

    /** Stores {@code record} as {@link #storeAndTryPublish} does, without publishing its event. */
    void store(JobRecord record);

    /** Publishes the status event of {@code record}; fails (and is retried) until it was accepted. */
    void publish(JobRecord record);
}
