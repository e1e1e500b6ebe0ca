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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records the histories {@link JobWorkflowReplayTest} replays, with the job workflow as it is now:
 * a tool, not a test. Run it when a change to the workflow's command sequence is guarded by a new
 * {@code Workflow.getVersion} (see {@code docs/workflow-changes.md}), then add the new files to the
 * replay test:
 *
 * <pre>{@code
 * ./mvnw -pl workflow-worker -am -q test-compile -DskipTests
 * ./mvnw -pl workflow-worker -q exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.hubble.worker.job.RecordHistories -Dexec.args=v1
 * }</pre>
 *
 * <p>The argument names the version in the files' names ({@code job-<scenario>-<version>-run<n>.json}).
 * Scenarios: a success after a push and a reported error, across two runs (continue-as-new); a
 * failure whose error the job reported; a cancel while queued; a cancel while running; a timeout.
 */
final class RecordHistories {

    private static final Path DIR = Path.of("src/test/resources/histories");

    private RecordHistories() {}

    public static void main(String[] args) throws Exception {
        String version = args.length > 0 ? args[0] : "v1";
        Files.createDirectories(DIR);
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        try {
            FakeEngine engine = new FakeEngine(env);
            engine.pollEveryMillis = 20;
            AtomicReference<RemotePhase> outcome = new AtomicReference<>(RemotePhase.RUNNING);
            engine.script = n -> RemoteStatus.of(outcome.get());
            AtomicBoolean paused = new AtomicBoolean();
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
                    new GateActivitiesImpl(
                            client, driver -> GatePolicy.of(paused.get() ? 0 : 10), Duration.ofMinutes(1), 1_000));
            env.start();

            // Succeeded after a push and an error report, across runs (continue-as-new).
            JobRecord succeeded = job(env, Duration.ofHours(1));
            WorkflowStub stub = start(client, succeeded);
            Thread.sleep(1_500);
            JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, succeeded.jobId());
            workflow.reportProgress(new ProgressReport(RemotePhase.RUNNING, null));
            workflow.reportError(new JobError("a reported error", null));
            Thread.sleep(300);
            outcome.set(RemotePhase.SUCCEEDED);
            stub.getResult(JobRecord.class);
            saveAllRuns(client, succeeded.jobId(), "succeeded", version);

            // Failed, with the error the job reported about itself.
            outcome.set(RemotePhase.RUNNING);
            JobRecord failed = job(env, Duration.ofHours(1));
            WorkflowStub failedStub = start(client, failed);
            Thread.sleep(500);
            client.newWorkflowStub(JobWorkflow.class, failed.jobId())
                    .reportError(new JobError("Table events does not exist", "the job's own words"));
            Thread.sleep(200);
            outcome.set(RemotePhase.FAILED);
            failedStub.getResult(JobRecord.class);
            saveAllRuns(client, failed.jobId(), "failed-reported", version);

            // Cancelled while running.
            outcome.set(RemotePhase.RUNNING);
            JobRecord cancelled = job(env, Duration.ofHours(1));
            WorkflowStub cancelledStub = start(client, cancelled);
            Thread.sleep(200);
            cancelledStub.cancel();
            awaitClosed(client, cancelled.jobId());
            saveAllRuns(client, cancelled.jobId(), "cancelled-running", version);

            // Timed out while running.
            JobRecord timedOut = job(env, Duration.ofMillis(500));
            start(client, timedOut);
            awaitClosed(client, timedOut.jobId());
            saveAllRuns(client, timedOut.jobId(), "timed-out", version);

            // Cancelled while queued: the gate grants nothing while the driver's capacity is 0.
            paused.set(true);
            JobRecord queued = job(env, Duration.ofHours(1));
            WorkflowStub queuedStub = start(client, queued);
            Thread.sleep(500);
            queuedStub.cancel();
            awaitClosed(client, queued.jobId());
            saveAllRuns(client, queued.jobId(), "cancelled-queued", version);
        } finally {
            env.close();
        }
    }

    private static void saveAllRuns(WorkflowClient client, String jobId, String name, String version) throws Exception {
        WorkflowExecutionHistory last = client.fetchHistory(jobId);
        // The first run's id is in every run's start event; walk the chain from it.
        String runId = last.getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getFirstExecutionRunId();
        for (int run = 1; runId != null && !runId.isEmpty(); run++) {
            WorkflowExecutionHistory history = client.fetchHistory(jobId, runId);
            Files.writeString(
                    DIR.resolve("job-" + name + "-" + version + "-run" + run + ".json"), history.toJson(true));
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
