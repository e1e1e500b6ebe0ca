package dev.hubble.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobCancellation;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.worker.gate.GateWorkflowImpl;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancels and timeouts land whenever they fall: jobs on the test server in real time, against an
 * engine that keeps them RUNNING and is polled every 20 ms, are cancelled (or time out) at random
 * moments of their lives: while queued behind the gate, while submitting, waiting, polling, and
 * as a run continues as new (a watch lasts 100 ms and a run makes at most two). Every one must
 * end in time, its remote job killed, its final state stored and its event sent. Time skipping
 * would hide the races this is about, so the clock is real.
 */
class CancelAndTimeoutLandTest {

    private static final String DRIVER = "duckdb";
    private static final long SEED = Long.getLong("hubble.test.seed", System.nanoTime());

    private TestWorkflowEnvironment env;
    private FakeEngine engine;
    private RecordingStates states;
    private WorkflowClient client;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        engine = new FakeEngine(env);
        engine.script = n -> RemoteStatus.of(RemotePhase.RUNNING);
        engine.pollEveryMillis = 20;
        engine.submitDelayMillis = () -> ThreadLocalRandom.current().nextInt(30);
        states = new RecordingStates();
        client = env.getWorkflowClient();
        JobWorkflowSettings settings = new JobWorkflowSettings(Duration.ofMillis(20), 1.0, Duration.ofMillis(20), 2, 5)
                .withWindowAndKillTimeout(Duration.ofMillis(100), Duration.ofSeconds(10));
        Worker worker = env.newWorker(TaskQueues.forDriver(DRIVER));
        worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
        worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class);
        // A gate narrower than a wave, so that some jobs are cancelled while queued.
        worker.registerActivitiesImplementations(
                engine,
                states,
                new GateActivitiesImpl(client, driver -> GatePolicy.of(30), Duration.ofMinutes(1), 1_000));
        env.start();
        pool = Executors.newFixedThreadPool(16);
        System.out.println("CancelAndTimeoutLandTest seed " + SEED);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        env.close();
    }

    @Test
    void fiveHundredJobsCancelledAtRandomMomentsAllEndCancelledWithinFiveSeconds() throws Exception {
        Random random = new Random(SEED);
        warmUp();
        List<Long> cancelToEnd = new ArrayList<>();
        for (int wave = 0; wave < 10; wave++) {
            List<CompletableFuture<Long>> jobs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long cancelAfter = random.nextInt(600);
                jobs.add(CompletableFuture.supplyAsync(() -> cancelAt(cancelAfter), pool));
            }
            for (CompletableFuture<Long> job : jobs) {
                cancelToEnd.add(job.get(60, TimeUnit.SECONDS));
            }
        }
        System.out.printf(
                "500 cancels: cancel to closed p50 %d ms, max %d ms%n",
                percentile(cancelToEnd, 50), percentile(cancelToEnd, 100));
        assertThat(cancelToEnd).hasSize(500).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
    }

    @Test
    void twoHundredJobsWhoseTimeoutFallsAtRandomMomentsAllEndTimedOut() throws Exception {
        Random random = new Random(SEED + 1);
        List<CompletableFuture<String>> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Duration timeout = Duration.ofMillis(50 + random.nextInt(1_500));
            jobs.add(CompletableFuture.supplyAsync(() -> timeOut(timeout), pool));
        }
        for (CompletableFuture<String> job : jobs) {
            String jobId = job.get(120, TimeUnit.SECONDS);
            assertEnded(jobId, JobState.TIMED_OUT);
        }
    }

    /**
     * Runs a few cancels first, so the gate exists and the code is compiled: the bound is about
     * cancels landing, not about a cold JVM on a busy machine.
     */
    private void warmUp() throws Exception {
        List<CompletableFuture<Long>> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(CompletableFuture.supplyAsync(() -> cancelAt(300), pool));
        }
        for (CompletableFuture<Long> job : jobs) {
            job.get(120, TimeUnit.SECONDS);
        }
    }

    /** Starts a job, cancels it after {@code millis}, and returns how long it took to end. */
    private long cancelAt(long millis) {
        JobRecord job = job(Duration.ofHours(1));
        WorkflowStub stub = start(job);
        sleep(millis);
        long cancelledAt = System.nanoTime();
        JobCancellation.request(client, job.jobId()); // what DELETE /v1/jobs/{id} does
        awaitClosed(job.jobId(), Duration.ofSeconds(30));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);
        assertEnded(job.jobId(), JobState.CANCELLED);
        return took;
    }

    private String timeOut(Duration timeout) {
        JobRecord job = job(timeout);
        start(job);
        awaitClosed(job.jobId(), timeout.plusSeconds(30));
        return job.jobId();
    }

    private void assertEnded(String jobId, JobState state) {
        JobRecord stored = states.records.stream()
                .filter(r -> r.jobId().equals(jobId))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(stored.state())
                .as(() -> "stored state of " + jobId + "; its history:\n" + historyOf(jobId))
                .isEqualTo(state);
        assertThat(states.events.stream().filter(r -> r.jobId().equals(jobId)).map(JobRecord::state))
                .as("events of %s", jobId)
                .endsWith(state);
        if (engine.remoteJobsCreated.containsKey(jobId)) {
            assertThat(engine.cancelled).as("kills of %s", jobId).contains("remote-" + jobId);
        }
    }

    private void awaitClosed(String jobId, Duration within) {
        long giveUpAt = System.nanoTime() + within.toNanos();
        while (isOpen(describe(jobId))) {
            if (System.nanoTime() > giveUpAt) {
                throw new AssertionError(
                        "job " + jobId + " still runs " + within + " after it should have ended; its history:\n"
                                + historyOf(jobId) + "\ndescribed: "
                                + client.newUntypedWorkflowStub(jobId).describe()
                                + "\nthreads:\n" + threadsAbout(jobId));
            }
            sleep(10);
        }
    }

    private static String threadsAbout(String jobId) {
        StringBuilder text = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            String name = thread.getName();
            if (name.contains(jobId)
                    || name.contains("workflow-method")
                    || name.startsWith("Workflow Executor")
                    || name.contains("Local Activity")) {
                text.append(name).append(' ').append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    text.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return text.toString();
    }

    private String historyOf(String jobId) {
        StringBuilder text = new StringBuilder();
        client.fetchHistory(jobId)
                .getHistory()
                .getEventsList()
                .forEach(e -> text.append(e.getEventId())
                        .append(' ')
                        .append(e.getEventType())
                        .append(' ')
                        .append(
                                e.hasActivityTaskScheduledEventAttributes()
                                        ? e.getActivityTaskScheduledEventAttributes()
                                                .getActivityType()
                                                .getName()
                                        : "")
                        .append(
                                e.hasMarkerRecordedEventAttributes()
                                        ? e.getMarkerRecordedEventAttributes().getMarkerName()
                                        : "")
                        .append(
                                e.hasWorkflowTaskFailedEventAttributes()
                                        ? e.getWorkflowTaskFailedEventAttributes()
                                                        .getCause() + " "
                                                + e.getWorkflowTaskFailedEventAttributes()
                                                        .getFailure()
                                                        .getMessage()
                                        : "")
                        .append('\n'));
        return text.toString();
    }

    /** Running, or between two runs: a run that continued as new is not the job's end. */
    private static boolean isOpen(WorkflowExecutionStatus status) {
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
    }

    private WorkflowExecutionStatus describe(String jobId) {
        return client.newUntypedWorkflowStub(jobId).describe().getStatus();
    }

    private WorkflowStub start(JobRecord job) {
        JobWorkflow workflow = client.newWorkflowStub(
                JobWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(job.jobId())
                        .setTaskQueue(TaskQueues.forDriver(DRIVER))
                        .build());
        WorkflowClient.start(workflow::run, JobWorkflowInput.start(job));
        return client.newUntypedWorkflowStub(job.jobId());
    }

    private JobRecord job(Duration timeout) {
        JobSpec spec = new JobSpec(
                "select 1",
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
        return JobRecord.accepted(
                java.util.UUID.randomUUID().toString(), spec, Instant.ofEpochMilli(env.currentTimeMillis()));
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(
                Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1 + (p == 0 ? 1 : 0)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
