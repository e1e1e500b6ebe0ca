package dev.hubble.worker.job;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.ProgressReport;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.worker.gate.GateWorkflowImpl;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the histories {@link JobWorkflowReplayTest} replays, with the job workflow as it is now.
 * Run it when the workflow's command sequence changes behind a new {@code Workflow.getVersion}:
 * {@code ./mvnw -pl workflow-worker -am verify -Dtest=RecordHistories -DexcludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}, then add the new files to the replay test.
 */
@Tag("record-histories")
class RecordHistories {

    private static final Path DIR = Path.of("src/test/resources/histories");
    private static final String VERSION = "v6-quick-looks";

    @Test
    void record() throws Exception {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        try {
            FakeEngine engine = new FakeEngine(env);
            engine.pollEveryMillis = 20;
            AtomicBoolean finish = new AtomicBoolean();
            engine.script =
                    n -> finish.get() ? RemoteStatus.of(RemotePhase.SUCCEEDED) : RemoteStatus.of(RemotePhase.RUNNING);
            WorkflowClient client = env.getWorkflowClient();
            JobWorkflowSettings settings = new JobWorkflowSettings(
                            Duration.ofMillis(20), 1.0, Duration.ofMillis(20), 2, 5)
                    .withWindowAndKillTimeout(Duration.ofMillis(300), Duration.ofSeconds(10));
            Worker worker = env.newWorker(TaskQueues.forDriver("duckdb"));
            worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
            worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class);
            worker.registerActivitiesImplementations(
                    engine,
                    new RecordingStates(),
                    new GateActivitiesImpl(client, driver -> GatePolicy.of(10), Duration.ofMinutes(1), 1_000));
            env.start();

            // Succeeded after a push and an error report, across runs (continue-as-new).
            JobRecord succeeded = job(env, Duration.ofHours(1));
            WorkflowStub stub = start(client, succeeded);
            Thread.sleep(1_500);
            JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, succeeded.jobId());
            workflow.reportProgress(new ProgressReport(RemotePhase.RUNNING, null));
            workflow.reportError(new JobError("a reported error", null));
            Thread.sleep(300);
            finish.set(true);
            stub.getResult(JobRecord.class);
            saveAllRuns(client, succeeded.jobId(), "succeeded");
            finish.set(false);

            JobRecord cancelled = job(env, Duration.ofHours(1));
            WorkflowStub cancelledStub = start(client, cancelled);
            Thread.sleep(200);
            cancelledStub.cancel();
            awaitClosed(client, cancelled.jobId());
            saveAllRuns(client, cancelled.jobId(), "cancelled");

            JobRecord timedOut = job(env, Duration.ofMillis(500));
            start(client, timedOut);
            awaitClosed(client, timedOut.jobId());
            saveAllRuns(client, timedOut.jobId(), "timed-out");
        } finally {
            env.close();
        }
    }

    private static void saveAllRuns(WorkflowClient client, String jobId, String name) throws Exception {
        WorkflowExecutionHistory last = client.fetchHistory(jobId);
        // The first run's id is in every run's start event; walk the chain from it.
        String runId = last.getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getFirstExecutionRunId();
        for (int run = 1; runId != null && !runId.isEmpty(); run++) {
            WorkflowExecutionHistory history = client.fetchHistory(jobId, runId);
            Files.writeString(
                    DIR.resolve("job-" + name + "-" + VERSION + "-run" + run + ".json"), history.toJson(true));
            History events = history.getHistory();
            var closing = events.getEvents(events.getEventsCount() - 1);
            runId = closing.hasWorkflowExecutionContinuedAsNewEventAttributes()
                    ? closing.getWorkflowExecutionContinuedAsNewEventAttributes()
                            .getNewExecutionRunId()
                    : null;
        }
    }

    private static void awaitClosed(WorkflowClient client, String jobId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var status = client.newUntypedWorkflowStub(jobId).describe().getStatus();
            if (status != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    && status
                            != io.temporal.api.enums.v1.WorkflowExecutionStatus
                                    .WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " did not end");
    }

    private static WorkflowStub start(WorkflowClient client, JobRecord job) {
        JobWorkflow workflow = client.newWorkflowStub(
                JobWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(job.jobId())
                        .setTaskQueue(TaskQueues.forDriver("duckdb"))
                        .build());
        WorkflowClient.start(workflow::run, JobWorkflowInput.start(job));
        return client.newUntypedWorkflowStub(job.jobId());
    }

    private static JobRecord job(TestWorkflowEnvironment env, Duration timeout) {
        JobSpec spec = new JobSpec(
                "select 42 as answer",
                "duckdb",
                OutputFormat.CSV,
                "test",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                timeout,
                Map.of(),
                null);
        return JobRecord.accepted(
                java.util.UUID.randomUUID().toString(), spec, Instant.ofEpochMilli(env.currentTimeMillis()));
    }
}
