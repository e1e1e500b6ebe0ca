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
import static org.assertj.core.api.Assertions.tuple;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.worker.gate.GateWorkflowImpl;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The job workflow against a fake engine, in real time. Each case has a test server of its own and
 * mostly waits on timers, so cases run side by side (see junit-platform.properties).
 */
@Execution(ExecutionMode.CONCURRENT)
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
        // Real time: a job's watch is an activity that polls in real time, and on a time-skipping
        // server its heartbeat timeout would run out in skipped time.
        env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        engine = new FakeEngine(env);
        states = new RecordingStates();
        client = env.getWorkflowClient();
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
        worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                engine,
                states,
                new GateActivitiesImpl(client, driver -> GatePolicy.of(concurrency), Duration.ofMinutes(1), 1_000));
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
        engine.script = n -> n < 3
                ? RemoteStatus.of(RemotePhase.PENDING)
                : n < 5 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(last.result().files()).extracting("name").containsExactly("result.csv");
        assertThat(last.error()).isNull();
    }

    @Test
    void whatPollsLearnOfWhereTheJobRunsIsRecordedWithItsTransitions() {
        start();
        RemoteDetails submitted = new RemoteDetails("7", null, null, null);
        RemoteDetails running = new RemoteDetails("7", "application_1_0001", "http://ui/7", null, "job/7");
        engine.script = n -> n < 2
                ? RemoteStatus.of(RemotePhase.PENDING).withDetails(submitted)
                : n < 4
                        ? RemoteStatus.of(RemotePhase.RUNNING).withDetails(running)
                        : new RemoteStatus(RemotePhase.SUCCEEDED, null, RemoteDetails.NONE);

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(states.records)
                .extracting(JobRecord::state, JobRecord::remote)
                .containsExactly(
                        tuple(QUEUED, null),
                        tuple(SUBMITTED, null),
                        tuple(RUNNING, running),
                        tuple(SUCCEEDED, running));
        assertThat(last.remote()).isEqualTo(running);
        assertThat(states.events.get(states.events.size() - 1).remote()).isEqualTo(running);
    }

    @Test
    void aJobDoneWithinItsQuickLooksFinishesInTheTaskThatSubmittedIt() {
        start();
        engine.script = n -> n < 2 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord job = job(Duration.ofHours(1));

        assertThat(run(job).state()).isEqualTo(SUCCEEDED);

        List<HistoryEvent> events = client.fetchHistory(job.jobId()).getEvents();
        assertThat(events)
                .extracting(HistoryEvent::getEventType)
                .as("no activity: the start, the grant, and the end that settles are the only workflow tasks")
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .filteredOn(type -> type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .hasSize(3);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(engine.watches.get()).as("quick looks").isEqualTo(2);
    }

    @Test
    void anErrorReportedJustBeforeAQuickLookSawTheJobFailWinsOverTheEnginesWords() {
        start();
        JobRecord job = job(Duration.ofHours(1));
        JobError reported = new JobError("upstream export is missing", "Traceback ...");
        engine.script = n -> {
            // The job reports its error, then ends: both while the quick look runs.
            client.newWorkflowStub(JobWorkflow.class, job.jobId()).reportError(reported);
            return new RemoteStatus(RemotePhase.FAILED, "the process exited with 1");
        };

        JobRecord last = run(job);

        assertThat(last.state()).isEqualTo(FAILED);
        assertThat(last.error()).isEqualTo(reported);
    }

    @Test
    void pollsLeaveNoTraceInTheHistory() {
        // No quick looks: whether a job is done within them would depend on the machine's speed.
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5)
                .withQuickLook(Duration.ZERO));
        int hundred = eventsOfAJobPolled(100);
        int thousand = eventsOfAJobPolled(1_000);

        assertThat(hundred).as("events of a job polled 100 times").isLessThanOrEqualTo(40);
        assertThat(thousand).as("events of a job polled 1,000 times").isEqualTo(hundred);
    }

    private int eventsOfAJobPolled(int polls) {
        int before = engine.pollTimes.size();
        engine.script =
                n -> n - before < polls ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord job = job(Duration.ofHours(1));
        assertThat(run(job).state()).isEqualTo(SUCCEEDED);
        assertThat(engine.pollTimes.size() - before).isEqualTo(polls);
        return client.fetchHistory(job.jobId()).getHistory().getEventsCount();
    }

    @Test
    void errorReportWakesThePollLoopAndBecomesTheJobsError() {
        start(new JobWorkflowSettings(Duration.ofHours(1), 2.0, Duration.ofHours(1), 500, 5)
                .withQuickLook(Duration.ZERO));
        engine.pollEveryMillis = Duration.ofMinutes(30).toMillis(); // only a push makes another poll
        engine.script = n -> n <= 2
                ? RemoteStatus.of(RemotePhase.RUNNING)
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
        assertThat(engine.pollTimes).as("the report woke a poll at once").hasSize(3);
        assertThat(engine.pollTimes.get(2) - reportedAt)
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
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        client.fetchHistory(job.jobId())
                .getHistory()
                .getEventsList()
                .forEach(e -> System.out.println("HIST " + e.getEventType() + " "
                        + (e.hasActivityTaskScheduledEventAttributes()
                                ? e.getActivityTaskScheduledEventAttributes()
                                        .getActivityType()
                                        .getName()
                                : "")
                        + (e.hasMarkerRecordedEventAttributes()
                                ? e.getMarkerRecordedEventAttributes()
                                        .getDetailsMap()
                                        .keySet()
                                : "")));
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, CANCELLED);
        assertThat(engine.cancelled).containsExactly("remote-" + job.jobId());
        assertThat(client.newWorkflowStub(JobWorkflow.class, job.jobId())
                        .status()
                        .state())
                .isEqualTo(CANCELLED);
    }

    @Test
    void timeoutKillsTheRemoteJobAndEndsTimedOut() {
        start();
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        JobRecord job = job(Duration.ofSeconds(3)); // real time: a running watch stops time skipping

        JobRecord last = run(job);

        assertThat(last.state()).isEqualTo(TIMED_OUT);
        assertThat(last.error().message()).contains("PT3S");
        assertThat(engine.cancelled).containsExactly("remote-" + job.jobId());
        assertThat(last.updatedAt()).isAfterOrEqualTo(job.createdAt().plus(Duration.ofSeconds(3)));
    }

    @Test
    void killTheEngineDoesNotConfirmEndsTheJobAllTheSameOnceTheKillTimeoutPassed() {
        start(new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 5)
                .withWindowAndKillTimeout(Duration.ofHours(1), Duration.ofSeconds(3)));
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        engine.killFails = true;
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);
        awaitState(RUNNING);

        stub.cancel();

        assertThatThrownBy(() -> stub.getResult(JobRecord.class)).isInstanceOf(WorkflowFailedException.class);
        JobRecord last = client.newWorkflowStub(JobWorkflow.class, job.jobId()).status();
        assertThat(last.state()).isEqualTo(CANCELLED);
        assertThat(last.error().message())
                .isEqualTo("cancelled on request; the engine did not confirm the kill within PT3S");
        assertThat(last.error().detail()).contains("engine does not answer");
        assertThat(engine.cancelAttempts).hasValueGreaterThanOrEqualTo(2);
        assertThat(gate().running())
                .as("the permit is back once the kill timeout passed")
                .isZero();
    }

    @Test
    void terminalStateIsNeverLeft() {
        start();
        JobRecord job = job(Duration.ofHours(1));
        JobRecord last = run(job);

        assertThatThrownBy(() ->
                        client.newWorkflowStub(JobWorkflow.class, job.jobId()).reportError(JobError.of("too late")))
                .as("a finished job takes no more signals")
                .isInstanceOf(WorkflowNotFoundException.class);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(client.newWorkflowStub(JobWorkflow.class, job.jobId()).status())
                .isEqualTo(last);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, SUCCEEDED);
    }

    @Test
    void longJobContinuesAsNewAcrossManyRunsAndReleasesItsPermitInItsLastRun() {
        start(
                new JobWorkflowSettings(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 3, 5)
                        .withWindowAndKillTimeout(Duration.ofMillis(100), Duration.ofMinutes(1)),
                1);
        engine.pollEveryMillis = 5;
        engine.script = n -> n < 300 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        JobRecord job = job(Duration.ofDays(1));

        JobRecord last = run(job);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.eventStates()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        var runIds = new LinkedHashSet<>(engine.pollRunIds);
        assertThat(runIds).as("runs").hasSizeGreaterThanOrEqualTo(3);
        for (String runId : runIds) {
            int events = client.fetchHistory(job.jobId(), runId).getHistory().getEventsCount();
            assertThat(events).as("events in run %s", runId).isLessThan(100);
        }
        assertThat(gate().running()).isZero();
    }

    @Test
    void whileKafkaIsDownEveryTransitionIsStoredAtOnceAndItsEventsFollowInOrderLater() {
        start();
        engine.pollEveryMillis = 20;
        engine.script = n -> n < 30 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        states.publishDown = true;
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);

        awaitStored(SUCCEEDED);
        assertThat(states.states())
                .as("stored while no event could be sent")
                .containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.events).isEmpty();
        assertThat(gate().running()).as("its permit is back").isZero();

        states.publishDown = false;
        JobRecord last = stub.getResult(JobRecord.class);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(states.eventStates()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.events).extracting(JobRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void jobCarriesOnWhileItsTransitionsCannotBeStoredAndRecordsThemAllInOrderLater() {
        start();
        engine.script = n -> n < 3 ? RemoteStatus.of(RemotePhase.RUNNING) : RemoteStatus.of(RemotePhase.SUCCEEDED);
        states.storeDown = true;
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = startJob(job);
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, job.jobId());

        for (int i = 0; i < 120 && workflow.status().state() != SUCCEEDED; i++) {
            env.sleep(Duration.ofSeconds(1));
        }

        assertThat(workflow.status().state())
                .as("the job ran to its end without its states being stored")
                .isEqualTo(SUCCEEDED);
        assertThat(states.records).isEmpty();

        states.storeDown = false;
        JobRecord last = stub.getResult(JobRecord.class);

        assertThat(last.state()).isEqualTo(SUCCEEDED);
        assertThat(states.states()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
        assertThat(states.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(states.eventStates()).containsExactly(QUEUED, SUBMITTED, RUNNING, SUCCEEDED);
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
        engine.script = n -> finishAll ? RemoteStatus.of(RemotePhase.SUCCEEDED) : RemoteStatus.of(RemotePhase.RUNNING);
        JobRecord first = job(Duration.ofHours(1));
        JobRecord second = job(Duration.ofHours(1));
        WorkflowStub firstRun = startJob(first);
        awaitState(RUNNING);
        WorkflowStub secondRun = startJob(second);
        env.sleep(Duration.ofSeconds(5));

        assertThat(client.newWorkflowStub(JobWorkflow.class, second.jobId())
                        .status()
                        .state())
                .isEqualTo(QUEUED);
        assertThat(gate().position(second.jobId())).hasValue(1);
        assertThat(engine.remoteJobsCreated).containsOnlyKeys(first.jobId());

        finishAll = true;
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
        assertThat(client.newWorkflowStub(JobWorkflow.class, waiting.jobId())
                        .status()
                        .state())
                .isEqualTo(CANCELLED);
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

        JobRecord last = run(job(Duration.ofSeconds(3)));

        assertThat(last.state()).isEqualTo(TIMED_OUT);
        assertThat(last.error().message()).contains("waited for its turn");
        assertThat(gate().waiting()).isZero();
        holder.cancel();
    }

    @Test
    void failureWithoutAMessageStillFailsTheJobWithWords() {
        start();
        engine.failSubmitWithoutMessage = true;

        JobRecord last = run(job(Duration.ofHours(1)));

        assertThat(last.state()).isEqualTo(FAILED);
        assertThat(last.error().message()).isNotBlank();
    }

    private GateSnapshot gate() {
        return client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(DRIVER))
                .snapshot();
    }

    private JobRecord run(JobRecord job) {
        return startJob(job).getResult(JobRecord.class);
    }

    private WorkflowStub startJob(JobRecord job) {
        JobWorkflow workflow = client.newWorkflowStub(
                JobWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(job.jobId())
                        .setTaskQueue(QUEUE)
                        .build());
        WorkflowExecution execution = WorkflowClient.start(workflow::run, JobWorkflowInput.start(job));
        return client.newUntypedWorkflowStub(execution.getWorkflowId());
    }

    private volatile boolean finishAll;

    private void awaitStored(dev.hubble.core.job.JobState state) {
        for (int i = 0; i < 600 && !states.states().contains(state); i++) {
            env.sleep(Duration.ofMillis(100));
        }
        assertThat(states.states()).contains(state);
    }

    private void awaitState(dev.hubble.core.job.JobState state) {
        for (int i = 0; i < 500 && !states.states().contains(state); i++) {
            env.sleep(Duration.ofSeconds(1));
        }
        assertThat(states.states()).contains(state);
    }

    private JobRecord job(Duration timeout) {
        JobSpec spec = new JobSpec(
                "select 42 as answer",
                DRIVER,
                OutputFormat.CSV,
                "test",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                timeout,
                Map.of(),
                null);
        return JobRecord.accepted(UUID.randomUUID().toString(), spec, Instant.ofEpochMilli(env.currentTimeMillis()));
    }
}
