package dev.hubble.activities.state;

import dev.hubble.activities.events.StatusEvents;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobStateActivities;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records a job's transitions: first in the job store, then as a status event. {@link #record}
 * and {@link #publish} fail until they succeed, and Temporal retries them, so no transition is
 * lost: a store or a broker that is down only delays it. {@link #storeAndTryPublish} is the quick
 * path the workflow takes first: it stores, gives Kafka a second, and says whether the event went.
 *
 * <p>The store comes first so that a status read never lags behind an event a subscriber has
 * already seen. Both steps are idempotent: the store ignores a record it already has, and a
 * repeated event carries the same id.
 *
 * <p>Metrics: {@code hubble.jobs.finished} (counter) and {@code hubble.jobs.duration} (histogram),
 * tagged with driver and final state.
 */
public final class JobStateActivitiesImpl implements JobStateActivities {

    private static final Logger log = LoggerFactory.getLogger(JobStateActivitiesImpl.class);

    /**
     * How long {@link #storeAndTryPublish} waits for Kafka: a healthy broker answers in
     * milliseconds; a slower one only sends the event down the retried path.
     */
    static final Duration QUICK_PUBLISH = Duration.ofSeconds(1);

    private final JobStore store;
    private final StatusEvents events;
    private final MeterRegistry meters;

    public JobStateActivitiesImpl(JobStore store, StatusEvents events, MeterRegistry meters) {
        this.store = store;
        this.events = events;
        this.meters = meters;
    }

    /** Without metrics. */
    public JobStateActivitiesImpl(JobStore store, StatusEvents events) {
        this(store, events, new SimpleMeterRegistry());
    }

    @Override
    public boolean storeAndTryPublish(JobRecord record) {
        try (MDC.MDCCloseable job = MDC.putCloseable("jobId", record.jobId())) {
            saveAndCount(record);
            boolean published = events.tryPublish(record, QUICK_PUBLISH);
            if (!published) {
                log.warn(
                        "Status event of job {} (sequence {}) not acknowledged within {}; sending it with retries",
                        record.jobId(),
                        record.sequence(),
                        QUICK_PUBLISH);
            }
            return published;
        }
    }

    @Override
    public void store(JobRecord record) {
        try (MDC.MDCCloseable job = MDC.putCloseable("jobId", record.jobId())) {
            saveAndCount(record);
        }
    }

    @Override
    public void publish(JobRecord record) {
        try (MDC.MDCCloseable job = MDC.putCloseable("jobId", record.jobId())) {
            events.publish(record);
        }
    }

    private void saveAndCount(JobRecord record) {
        boolean saved = store.save(record);
        if (saved && record.state().isTerminal()) {
            // Counted when first stored, so a retried activity never counts a job twice.
            countFinished(record);
        }
        log.info(
                "Job {} is {} (sequence {}{})",
                record.jobId(),
                record.state(),
                record.sequence(),
                saved ? "" : ", already stored");
    }

    private void countFinished(JobRecord record) {
        String driver = record.spec().driver();
        String state = record.state().name();
        meters.counter("hubble.jobs.finished", "driver", driver, "state", state).increment();
        Timer.builder("hubble.jobs.duration")
                .description("From acceptance to the final state")
                .tags("driver", driver, "state", state)
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.between(record.createdAt(), record.updatedAt()));
    }
}
