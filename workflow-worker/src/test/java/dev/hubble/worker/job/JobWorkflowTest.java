package dev.hubble.worker.job;

import static dev.hubble.core.job.JobState.CANCELLED;
import static dev.hubble.core.job.JobState.FAILED;
import static dev.hubble.core.job.JobState.QUEUED;
import static dev.hubble.core.job.JobState.RUNNING;
import static dev.hubble.core.job.JobState.SUBMITTED;
import static dev.hubble.core.job.JobState.SUCCEEDED;
import static dev.hubble.core.job.JobState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.job.JobError;
import dev.hubble.worker.gate.GateWorkflowImpl;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobWorkflowTest {

    private static final String DRIVER = "duckdb";
    private static final String QUEUE = TaskQueues.forDriver(DRIVER);

    private TestWorkflowEnvironment env;
    private FakeEngine engine;
    private RecordingStates states;
    private WorkflowClient client;

    private void start(JobWorkflowSettings settings) {
        start(settings, 10);
    }

    private void start(JobWorkflowSettings settings, int concurrency) {
        env = TestWorkflowEnvironment.newInstance();
        engine = new FakeEngine(env);
        states = new RecordingStates();
        client = env.getWorkflowClient();
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
        worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class);
        worker.registerActivitiesImplementations(engine, states,
                new GateActivitiesImpl(client, driver -> concurrency, Duration.ofMinutes(1), 1_000));
        env.start();
    }

    private void start() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5));
    }

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void successfulJobMovesThroughEveryStateInOrder() {
        start();
        engine.script = n -> n < 3 ? RemoteStatus.of(RemotePhase.PENDING)
                : n < 5 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(last.result().files()).extracting("name").containsExactly("result.csv");
        assertThat(last.error()).isNull();
    }

    @Test
    void pollIntervalGrowsByTheFactorUpToTheCap() {
        start(new JobWorkflowSettings(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(20), 500, 5));
        engine.script = n -> n < 8 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);

        run(job(Duration.ofHours(1)));

        assertThat(engine.pollGapsMillis()).hasSize(7).allSatisfy(gap -> assertThat(gap).isPositive());
        assertThat(engine.pollGapsMillis()).map(gap -> Math.round(gap / 1000.0))
                .containsExactly(2L, 4L, 8L, 16L, 20L, 20L, 20L);
    }

    @Test
    void errorReportWakesThePollLoopAndBecomesTheJobsError() {
        start(new JobWorkflowSettings(Duration.ofHours(1), 2.0, Duration.ofHours(1), 500, 5));
        engine.script = n -> n == 1 ? RemoteStatus.of(RemotePhase.RUNNING)
                : new RemoteStatus(RemotePhase.FAILED, "Livy session died");
        JobRecord job = job(Duration.ofDays(1));
        WorkflowStub stub = startJob(job);
        awaitState(RUNNING);
        long reportedAt = env.currentTimeMillis();

        client.newWorkflowStub(JobWorkflow.class, job.jobId())
                .reportError(new JobError("Table or view not found: events", "AnalysisException ..."));
        JobRecord last = stub.getResult(JobRecord.class);

        assertThat(last.state()).isEqualTo(FAILED);
        assertThat(last.error()).isEqualTo(new JobError("Table or view not found: events", "AnalysisException ..."));
        assertThat(engine.pollTimes.get(1) - reportedAt).as("second poll follows the signal, not the 1h timer")
                .isLessThan(Duration.ofMinutes(1).toMillis());
    }

    @Test
    void failedJobWithoutReportCarriesTheEnginesReasonAndDiagnostics() {
        start();
        engine.script = n -> new RemoteStatus(RemotePhase.FAILED, "Catalog Error: Table nope does not exist");

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(last.state()).isEqualTo(FAILED);
        assertThat(last.error()).isEqualTo(new JobError("Catalog Error: Table nope does not exist", "engine log tail"));
    }

    @Test
    void rejectedSubmissionFailsTheJobWithTheEnginesMessage() {
        start();
        engine.rejectSubmitWith = "Parser Error: syntax error at or near \"selec\"";

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(states.states()).containsExactly(QUEUED, FAILED);
        assertThat(last.error().message()).isEqualTo("Parser Error: syntax error at or near \"selec\"");
        assertThat(last.error().detail()).startsWith("LINE 1:");
        assertThat(engine.submitAttempts).hasValue(1);
    }

    @Test
    void retriedSubmitFindsTheRemoteJobInsteadOfCreatingAnother() {
        start();
        engine.failingSubmitAttempts = 2;

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(engine.submitAttempts).hasValue(3);
        assertThat(engine.remoteJobsCreated).hasSize(1);
    }

    @Test
    void cancelKillsTheRemoteJobAndEndsCancelled() {
        start();
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);
        awaitState(RUNNING);

        stub.cancel();

        assertThatThrownBy(() -> stub.getResult(JobRecord.class))
                .isInstanceOf(WorkflowFailedException.class).hasCauseInstanceOf(CanceledFailure.class);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, CANCELLED);
        assertThat(engine.cancelled).containsExactly("remote-" + job.jobId());
        assertThat(client.newWorkflowStub(JobWorkflow.class, job.jobId()).status().state()).isEqualTo(CANCELLED);
    }

    @Test
    void timeoutKillsTheRemoteJobAndEndsTimedOut() {
        start();
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        JobRecord job = job(Duration.ofMinutes(10));

        JobRecord last = run(job);

        assertThat(last.state()).isEqualTo(TIMED_OUT);
        assertThat(last.error().message()).contains("PT10M");
        assertThat(engine.cancelled).containsExactly("remote-" + job.jobId());
        assertThat(last.updatedAt()).isAfterOrEqualTo(job.createdAt().plus(Duration.ofMinutes(10)));
    }

    @Test
    void terminalStateIsNeverLeft() {
        start();
        JobRecord job = job(Duration.ofHours(1));
        JobRecord last = run(job);

        assertThatThrownBy(() -> client.newWorkflowStub(JobWorkflow.class, job.jobId()).reportError(JobError.of("too late")))
                .as("a finished job takes no more signals").isInstanceOf(WorkflowNotFoundException.class);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(client.newWorkflowStub(JobWorkflow.class, job.jobId()).status()).isEqualTo(last);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, SUCCEEDED);
    }

    @Test
    void jobPolledThreeThousandTimesFinishesWithEveryRunsHistoryShort() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 500, 5));
        engine.script = n -> n < 3_000 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord job = job(Duration.ofDays(1));

        JobRecord last = run(job);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(engine.pollTimes).hasSize(3_000);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        var runIds = new LinkedHashSet<>(engine.pollRunIds);
        assertThat(runIds).as("at most 500 polls per run").hasSizeGreaterThanOrEqualTo(6);
        for (String runId : runIds) {
            int events = client.fetchHistory(job.jobId(), runId).getHistory().getEventsCount();
            assertThat(events).as("events in run %s", runId).isLessThan(10_240);
        }
    }

    @Test
    void jobCarriesOnWhileItsTransitionsCannotBeRecordedAndRecordsThemAllInOrderLater() {
        start();
        engine.script = n -> n < 3 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        states.down = true;
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, job.jobId());

        for (int i = 0; i < 60 && workflow.status().state() != SUCCEEDED; i++) {
            env.sleep(Duration.ofSeconds(10));
        }

        assertThat(workflow.status().state()).as("the job ran to its end without its states being recorded").isEqualTo(SUCCEEDED);
        assertThat(engine.pollTimes).hasSize(3);
        assertThat(states.records).isEmpty();
        assertThat(gate().running()).as("its permit is back").isZero();

        states.down = false;
        JobRecord last = stub.getResult(JobRecord.class);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.sequences()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void jobFinishesEvenWhenItsGateIsGoneWhenItReleasesItsPermit() {
        start();
        engine.script = n -> n < 3 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);
        awaitState(RUNNING);

        client.newUntypedWorkflowStub(Gates.workflowId(DRIVER)).terminate("gone for the test");

        assertThat(stub.getResult(JobRecord.class).state()).isEqualTo(SUCCEEDED);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
    }

    @Test
    void jobWaitsQueuedForAPermitWhileTheDriverIsFull() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5), 1);
        engine.script = n -> n < 20 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord first = job(Duration.ofHours(1));
        JobRecord second = job(Duration.ofHours(1));
        WorkflowStub firstRun = startJob(first);
        awaitState(RUNNING);
        WorkflowStub secondRun = startJob(second);
        env.sleep(Duration.ofSeconds(5));

        assertThat(client.newWorkflowStub(JobWorkflow.class, second.jobId()).status().state()).isEqualTo(QUEUED);
        assertThat(gate().position(second.jobId())).hasValue(1);
        assertThat(engine.remoteJobsCreated).containsOnlyKeys(first.jobId());

        assertThat(firstRun.getResult(JobRecord.class).state()).isEqualTo(SUCCEEDED);
        assertThat(secondRun.getResult(JobRecord.class).state()).isEqualTo(SUCCEEDED);
        assertThat(gate().running()).isZero();
    }

    @Test
    void jobCancelledWhileWaitingForAPermitLeavesTheQueue() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5), 1);
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        WorkflowStub holder = startJob(job(Duration.ofHours(1)));
        awaitState(RUNNING);
        JobRecord waiting = job(Duration.ofHours(1));
        WorkflowStub waitingRun = startJob(waiting);
        env.sleep(Duration.ofSeconds(5));

        waitingRun.cancel();

        assertThatThrownBy(() -> waitingRun.getResult(JobRecord.class)).isInstanceOf(WorkflowFailedException.class);
        assertThat(client.newWorkflowStub(JobWorkflow.class, waiting.jobId()).status().state()).isEqualTo(CANCELLED);
        assertThat(gate().waiting()).isZero();
        assertThat(engine.remoteJobsCreated).doesNotContainKey(waiting.jobId());
        holder.cancel();
    }

    @Test
    void jobWhoseTimeoutRunsOutWhileWaitingForAPermitTimesOut() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5), 1);
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        WorkflowStub holder = startJob(job(Duration.ofHours(1)));
        awaitState(RUNNING);

        JobRecord last = run(job(Duration.ofMinutes(5)));

        assertThat(last.state()).isEqualTo(TIMED_OUT);
        assertThat(last.error().message()).contains("waited for its turn");
        assertThat(gate().waiting()).isZero();
        holder.cancel();
    }

    @Test
    void permitOfAJobThatContinuedAsNewIsReleasedByItsLastRun() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 10, 5), 1);
        engine.script = n -> n < 35 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(new LinkedHashSet<>(engine.pollRunIds)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(gate().running()).isZero();
    }

    private GateSnapshot gate() {
        return client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(DRIVER)).snapshot();
    }

    private JobRecord run(JobRecord job) {
        return startJob(job).getResult(JobRecord.class);
    }

    private WorkflowStub startJob(JobRecord job) {
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(job.jobId()).setTaskQueue(QUEUE).build());
        WorkflowExecution execution = WorkflowClient.start(workflow::run, JobWorkflowInput.start(job));
        return client.newUntypedWorkflowStub(execution.getWorkflowId());
    }

    private void awaitState(dev.hubble.core.job.JobState state) {
        for (int i = 0; i < 500 && !states.states().contains(state); i++) {
            env.sleep(Duration.ofSeconds(1));
        }
        assertThat(states.states()).contains(state);
    }

    private JobRecord job(Duration timeout) {
        JobSpec spec = new JobSpec("select 42 as answer", DRIVER, OutputFormat.CSV, "test", null, null, null,
                JobSpec.DEFAULT_PRIORITY, timeout, Map.of(), null);
        return JobRecord.accepted(UUID.randomUUID().toString(), spec, Instant.ofEpochMilli(env.currentTimeMillis()));
    }

}
