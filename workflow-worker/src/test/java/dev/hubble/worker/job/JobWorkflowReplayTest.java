package dev.hubble.worker.job;

import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays histories recorded by earlier versions of the job workflow. A change to the
 * workflow's command sequence that is not guarded by {@code Workflow.getVersion} fails here
 * instead of breaking jobs in flight.
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

    @Test
    void replaysASucceededJobOfTheFirstVersion() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/job-succeeded-v1.json", worker);
    }

    @Test
    void replaysASucceededJobThatWaitedForItsGate() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/job-succeeded-v2-gate.json", worker);
    }

    @Test
    void replaysASucceededJobThatRecordedInTheBackground() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(
                "histories/job-succeeded-v3-background-recording.json", worker);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "job-succeeded-v4-watched-run1.json", // continued as new
                "job-succeeded-v4-watched-run2.json", // a push and an error report, then success
                "job-cancelled-v4-watched-run1.json",
                "job-timed-out-v4-watched-run1.json", // continued as new
                "job-timed-out-v4-watched-run2.json",
                "job-succeeded-v5-local-release-run1.json", // a push and an error report, then success
                "job-cancelled-v5-local-release-run1.json",
                "job-timed-out-v5-local-release-run1.json",
                "job-succeeded-v6-quick-looks-run1.json", // quick looks, then continued as new
                "job-succeeded-v6-quick-looks-run2.json", // a push and an error report, then success
                "job-cancelled-v6-quick-looks-run1.json",
                "job-timed-out-v6-quick-looks-run1.json"
            })
    void replaysJobsThatWaitOnWatches(String history) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + history, worker);
    }
}
