package dev.hubble.worker.job;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.JobStateActivities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The state activities: {@link #records} is what the store holds (each stored record once, as
 * the store keeps only the newest), {@link #events} every status event sent.
 */
final class RecordingStates implements JobStateActivities {

    final List<JobRecord> records = new CopyOnWriteArrayList<>();
    final List<JobRecord> events = new CopyOnWriteArrayList<>();
    /** While set, storing fails, as it does while Redis is down. */
    volatile boolean storeDown;
    /** While set, sending events fails, as it does while Kafka is down. */
    volatile boolean publishDown;

    @Override
    public boolean storeAndTryPublish(JobRecord record) {
        store(record);
        if (publishDown) {
            return false;
        }
        events.add(record);
        return true;
    }

    @Override
    public synchronized void store(JobRecord record) {
        if (storeDown) {
            throw new IllegalStateException("the store is down");
        }
        if (records.stream().noneMatch(r -> r.jobId().equals(record.jobId()) && r.sequence() >= record.sequence())) {
            records.add(record);
        }
    }

    @Override
    public void publish(JobRecord record) {
        if (publishDown) {
            throw new IllegalStateException("the broker is down");
        }
        events.add(record);
    }

    List<JobState> states() {
        return records.stream().map(JobRecord::state).toList();
    }

    List<Long> sequences() {
        return records.stream().map(JobRecord::sequence).toList();
    }

    List<JobState> eventStates() {
        return events.stream().map(JobRecord::state).toList();
    }
}
