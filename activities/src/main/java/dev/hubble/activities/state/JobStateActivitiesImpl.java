package dev.hubble.activities.state;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobStateActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records a job's transitions in the job store. A store that is down fails the activity, which
 * Temporal retries until it is back, so no transition is lost.
 */
public final class JobStateActivitiesImpl implements JobStateActivities {

    private static final Logger log = LoggerFactory.getLogger(JobStateActivitiesImpl.class);

    private final JobStore store;

    public JobStateActivitiesImpl(JobStore store) {
        this.store = store;
    }

    @Override
    public void record(JobRecord record) {
        MDC.put("jobId", record.jobId());
        try {
            boolean saved = store.save(record);
            log.info("Job {} is {} (sequence {}{})", record.jobId(), record.state(), record.sequence(),
                    saved ? "" : ", already recorded");
        } finally {
            MDC.remove("jobId");
        }
    }
}
