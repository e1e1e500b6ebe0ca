package dev.hubble.worker.log;

import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobLogWorkflow;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.worker.ActivityStubs;
import java.util.List;

/**
 * Runs one log-tail activity on this worker's queue. Someone reading a log waits for it, so it
 * gives up soon: the caller asks again rather than waiting long for a worker that is not there.
 */
public final class JobLogWorkflowImpl implements JobLogWorkflow {

    private final JobLogActivities logs = ActivityStubs.logTails();

    @Override
    public List<String> tail(RunHandle handle, int lines) {
        return logs.tail(handle, lines);
    }
}
