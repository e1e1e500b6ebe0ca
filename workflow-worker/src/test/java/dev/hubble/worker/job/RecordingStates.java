package dev.hubble.worker.job;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.JobStateActivities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The state activity, keeping every record it is given. */
final class RecordingStates implements JobStateActivities {

    final List<JobRecord> records = new CopyOnWriteArrayList<>();
    /** While set, recording fails, as it does while Redis or Kafka is down. */
    volatile boolean down;

    @Override
    public void record(JobRecord record) {
        if (down) {
            throw new IllegalStateException("the store is down");
        }
        records.add(record);
    }

    List<JobState> states() {
        return records.stream().map(JobRecord::state).toList();
    }

    List<Long> sequences() {
        return records.stream().map(JobRecord::sequence).toList();
    }
}
