package dev.hubble.worker.log;

import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobLogWorkflow;
import dev.hubble.core.temporal.RunHandle;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Runs one log-tail activity on this worker's queue. Someone reading a log waits for it, so it
 * gives up soon: the caller asks again rather than waiting long for a worker that is not there.
 */
public final class JobLogWorkflowImpl implements JobLogWorkflow {

    private final JobLogActivities logs = Workflow.newActivityStub(
            JobLogActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setScheduleToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(500))
                            .setMaximumAttempts(3)
                            .build())
                    .build());

    @Override
    public List<String> tail(RunHandle handle, int lines) {
        return logs.tail(handle, lines);
    }
}
