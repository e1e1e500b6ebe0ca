package dev.hubble.activities.state;

import dev.hubble.activities.events.StatusEvents;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobStateActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records a job's transitions: first in the job store, then as a status event. Either one
 * failing fails the activity, which Temporal retries until both succeed, so no transition is
 * lost: a store or a broker that is down only delays it.
 *
 * <p>The store comes first so that a status read never lags behind an event a subscriber has
 * already seen. Both steps are idempotent: the store ignores a record it already has, and a
 * repeated event carries the same id.
 */
public final class JobStateActivitiesImpl implements JobStateActivities {

    private static final Logger log = LoggerFactory.getLogger(JobStateActivitiesImpl.class);

    private final JobStore store;
    private final StatusEvents events;

    public JobStateActivitiesImpl(JobStore store, StatusEvents events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public void record(JobRecord record) {
        MDC.put("jobId", record.jobId());
        try {
            boolean saved = store.save(record);
            // Sent even when the store already had the record: the attempt that stored it may
            // have failed to send.
            events.publish(record);
            log.info("Job {} is {} (sequence {}{})", record.jobId(), record.state(), record.sequence(),
                    saved ? "" : ", already stored");
        } finally {
            MDC.remove("jobId");
        }
    }
}
