package dev.hubble.worker.job;

import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays histories recorded by {@link RecordHistories} from the job workflow as it was released.
 * A change to the workflow's command sequence that is not guarded by {@code Workflow.getVersion}
 * fails here instead of breaking jobs in flight (see {@code docs/workflow-changes.md}).
 */
class JobWorkflowReplayTest {

    private TestWorkflowEnvironment env;
    private Worker worker;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        worker = env.newWorker(TaskQueues.forDriver("duckdb"));
        JobWorkflowSettings settings =
                new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5);
        worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "job-succeeded-v1-run1.json", // a push, then continued as new
                "job-succeeded-v1-run2.json", // an error report, then success
                "job-failed-reported-v1-run1.json", // failed with the error the job reported
                "job-cancelled-queued-v1-run1.json", // cancelled while waiting for its permit
                "job-cancelled-running-v1-run1.json",
                "job-timed-out-v1-run1.json"
            })
    void replaysTheJobsOfTheReleasedWorkflow(String history) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + history, worker);
    }
}
