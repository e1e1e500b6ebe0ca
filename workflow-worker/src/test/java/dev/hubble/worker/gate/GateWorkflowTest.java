package dev.hubble.worker.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.gate.GateInput;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.gate.PermitRequest;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.worker.gate.HolderWorkflow.Plan;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GateWorkflowTest {

    private static final String DUCKDB = "duckdb";
    private static final String PYTHON = "local-python";
    private static final Duration FOREVER = Duration.ofDays(30);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(45);

    private final Map<String, Integer> capacities = new ConcurrentHashMap<>();
    private final Map<String, GatePolicy> policies = new ConcurrentHashMap<>();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private RecordingTimeline timeline;
    private GateActivitiesImpl gateActivities;

    /** One worker per driver's task queue serving its gate and holders, as the worker pools do. */
    private void start(Duration sweepInterval, int maxStepsPerRun, Map<String, Integer> capacityByDriver) {
        capacities.putAll(capacityByDriver);
        env = TestWorkflowEnvironment.newInstance();
        client = env.getWorkflowClient();
        timeline = new RecordingTimeline(env);
        gateActivities = new GateActivitiesImpl(client, this::policyOf, sweepInterval, maxStepsPerRun);
        for (String driver : capacityByDriver.keySet()) {
            Worker worker = env.newWorker(TaskQueues.forDriver(driver));
            worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class, HolderWorkflowImpl.class);
            worker.registerActivitiesImplementations(gateActivities, timeline);
        }
        env.start();
    }

    private void start(int duckdbCapacity, Duration sweepInterval) {
        start(sweepInterval, GateInput.DEFAULT_MAX_STEPS_PER_RUN, Map.of(DUCKDB, duckdbCapacity));
    }

    /** Like {@code DriversProperties.driver(d).gatePolicy()}: an unknown driver is an IllegalArgumentException. */
    private GatePolicy policyOf(String driver) {
        Integer capacity = capacities.get(driver);
        if (capacity == null) {
            throw new IllegalArgumentException("driver " + driver + " is not enabled");
        }
        GatePolicy policy = policies.get(driver);
        return policy == null ? GatePolicy.of(capacity) : policy.withCapacity(capacity);
    }

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void neverGrantsMorePermitsAtOnceThanItsCapacity() {
        start(3, HOUR);
        List<WorkflowStub> holders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            holders.add(startHolder("job-" + i, Plan.holding(DUCKDB, Duration.ofSeconds(10L * (1 + i % 5)))));
        }

        assertThat(resultsOf(holders, RESULT_TIMEOUT)).containsOnly(1);

        assertThat(timeline.grantOrder()).hasSize(12);
        assertThat(timeline.mostHoldingAtOnce()).as("holders measured at once").isEqualTo(3);
        assertThat(timeline.holdingNow()).isZero();
        assertIdle(DUCKDB);
    }

    @Test
    void grantsHighestPriorityFirstThenInArrivalOrder() {
        start(1, HOUR);
        WorkflowStub blocker =
                startHolder("blocker", Plan.holding(DUCKDB, FOREVER).withPriority(0));
        awaitGate(DUCKDB, gate -> gate.holds("blocker"));
        List<WorkflowStub> waiting = new ArrayList<>();
        String[][] arrivals = {{"p1-a", "1"}, {"p5-a", "5"}, {"p9-a", "9"}, {"p5-b", "5"}, {"p1-b", "1"}, {"p9-b", "9"}
        };
        for (String[] arrival : arrivals) {
            int waitingBefore = waiting.size();
            waiting.add(startHolder(
                    arrival[0],
                    Plan.holding(DUCKDB, Duration.ofSeconds(1)).withPriority(Integer.parseInt(arrival[1]))));
            awaitGate(DUCKDB, gate -> gate.waiting() == waitingBefore + 1);
        }

        GateSnapshot queued = snapshot(DUCKDB);
        assertThat(queued.queue()).containsExactly("p9-a", "p9-b", "p5-a", "p5-b", "p1-a", "p1-b");
        assertThat(queued.position("p9-b")).hasValue(2);
        assertThat(queued.position("p1-b")).hasValue(6);
        assertThat(queued.position("blocker")).isEmpty();
        assertThat(queued.running()).isEqualTo(1);

        blocker.signal("finish");
        assertThat(resultsOf(waiting, RESULT_TIMEOUT)).containsOnly(1);

        assertThat(timeline.grantOrder()).containsExactly("blocker", "p9-a", "p9-b", "p5-a", "p5-b", "p1-a", "p1-b");
        assertIdle(DUCKDB);
    }

    @Test
    void repeatedAcquireAndUnknownReleaseChangeNothing() {
        start(1, HOUR);
        startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        startHolder("first", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        startHolder("second", Plan.holding(DUCKDB, FOREVER));
        GateSnapshot before = awaitGate(DUCKDB, gate -> gate.waiting() == 2);
        GateWorkflow gate = gateStub(DUCKDB);
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());

        gate.acquire(new PermitRequest("second", 9, now), null); // already waiting: keeps its place
        // Already holding: a copy of an earlier request is answered with the grant it holds, nothing else.
        gate.acquire(new PermitRequest("holder", 9, Instant.EPOCH), null);
        gate.release("stranger", null);
        gate.setCapacity(1);

        assertThat(snapshot(DUCKDB)).isEqualTo(before);
        assertThat(before.queue()).containsExactly("first", "second");
    }

    @Test
    void aLateReleaseNeverFreesWhatTheJobAskedForAfterIt() {
        start(1, HOUR);
        startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        startHolder("waiter", Plan.holding(DUCKDB, FOREVER));
        GateSnapshot before = awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        GateWorkflow gate = gateStub(DUCKDB);

        // Releases of requests made before the ones the gate has: sent again, or overtaken.
        gate.release("holder", Instant.EPOCH);
        gate.release("waiter", Instant.EPOCH);
        assertThat(snapshot(DUCKDB)).isEqualTo(before);

        // The waiter released its place and asked again, and the release arrives after the request.
        Instant asked = Instant.ofEpochMilli(env.currentTimeMillis()).plusSeconds(60);
        gate.acquire(new PermitRequest("waiter", 5, asked), null);
        gate.release("waiter", asked.minusMillis(1));
        assertThat(snapshot(DUCKDB))
                .as("keeps its place with its later request")
                .isEqualTo(before);

        gate.release("waiter", asked);
        awaitGate(DUCKDB, snapshot -> snapshot.waiting() == 0);
        gate.release("holder", null); // names no request: whatever the job holds
        assertIdle(DUCKDB);
    }

    @Test
    void aGrantOfARequestTheJobNoLongerHasIsGivenBackAtOnce() {
        start(1, HOUR); // no sweep can help here
        WorkflowStub done =
                startHolder("done", Plan.holding(DUCKDB, Duration.ZERO).lingeringWhenDone());
        awaitGate(DUCKDB, gate -> gate.running() == 0 && gate.waiting() == 0 && timeline.released(List.of("done")));

        // A late copy of a request the job released reaches the gate: it is granted again.
        gateStub(DUCKDB).acquire(new PermitRequest("done", 5, Instant.ofEpochMilli(env.currentTimeMillis())), null);

        long askedAt = env.currentTimeMillis();
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(1)));

        assertThat(resultOf(next)).isEqualTo(1);
        assertThat(timeline.grantedAt("next") - askedAt)
                .as("granted at once, the stale grant given back, not at the next sweep an hour later")
                .isLessThan(Duration.ofSeconds(10).toMillis());
        assertThat(timeline.grantOrder()).containsExactly("done", "next");
        done.signal("finish");
        assertThat(resultOf(done)).isEqualTo(1);
        assertIdle(DUCKDB);
    }

    @Test
    void waitingJobsAreInLineByAcceptanceTimeWhateverOrderTheyAsked() {
        start(1, HOUR);
        startHolder("blocker", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("blocker"));
        GateWorkflow gate = gateStub(DUCKDB);
        Instant accepted = Instant.parse("2026-12-01T00:00:00Z");
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());

        for (int i : new int[] {3, 1, 4, 0, 2}) {
            gate.acquire(new PermitRequest("job-" + i, 5, now, "experiments", accepted.plusMillis(i)), null);
        }
        gate.acquire(new PermitRequest("urgent", 9, now, "experiments", accepted.plusSeconds(60)), null);

        GateSnapshot queued = awaitGate(DUCKDB, snapshot -> snapshot.waiting() == 6);
        assertThat(queued.queue()).containsExactly("urgent", "job-0", "job-1", "job-2", "job-3", "job-4");
        assertThat(queued.position("job-0")).hasValue(2);
    }

    @Test
    void sourcesTakeTurnsSoAFewLateJobsDoNotWaitForManyEarlyOnes() {
        start(2, HOUR);
        Map<String, WorkflowStub> holders = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            holders.put(
                    "big-" + i,
                    startHolder("big-" + i, Plan.holding(DUCKDB, FOREVER).from("big")));
        }
        awaitGate(DUCKDB, gate -> gate.running() + gate.waiting() == 20);
        for (int i = 0; i < 3; i++) {
            holders.put(
                    "small-" + i,
                    startHolder("small-" + i, Plan.holding(DUCKDB, FOREVER).from("small")));
        }
        awaitGate(DUCKDB, gate -> gate.running() + gate.waiting() == 23);

        // Finish whoever holds, two at a time, until everyone had a turn.
        int left = holders.size();
        while (left > 0) {
            int expected = Math.min(2, left);
            GateSnapshot gate = awaitGate(DUCKDB, snapshot -> snapshot.running() == expected);
            gate.holders().forEach(holder -> holders.get(holder).signal("finish"));
            left -= gate.holders().size();
            awaitGate(DUCKDB, snapshot -> gate.holders().stream().noneMatch(snapshot::holds));
        }

        assertThat(resultsOf(List.copyOf(holders.values()), RESULT_TIMEOUT)).containsOnly(1);
        List<String> order = timeline.grantOrder();
        for (int i = 0; i < 3; i++) {
            assertThat(order.indexOf("small-" + i))
                    .as("small-%d's turn comes after at most one big job per small one (%s)", i, order)
                    .isLessThan(2 + 2 * (i + 1));
        }
        assertThat(timeline.mostHoldingAtOnce()).isEqualTo(2);
        assertIdle(DUCKDB);
    }

    @Test
    void aSourceHoldingItsShareWaitsWhileAnotherSourceIsGranted() {
        policies.put(DUCKDB, new GatePolicy(3, 1, new java.util.TreeMap<>()));
        start(3, HOUR);
        WorkflowStub first = startHolder("a-1", Plan.holding(DUCKDB, FOREVER).from("a"));
        awaitGate(DUCKDB, gate -> gate.holds("a-1"));
        WorkflowStub second =
                startHolder("a-2", Plan.holding(DUCKDB, Duration.ofMinutes(1)).from("a"));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        WorkflowStub other = startHolder("b-1", Plan.holding(DUCKDB, FOREVER).from("b"));

        GateSnapshot gate = awaitGate(DUCKDB, snapshot -> snapshot.holds("b-1"));
        assertThat(gate.holders()).containsExactly("a-1", "b-1");
        assertThat(gate.queue()).as("room for one more, but not for a").containsExactly("a-2");

        first.signal("finish");
        assertThat(resultOf(second)).isEqualTo(1);
        other.signal("finish");
        assertThat(resultsOf(List.of(first, other), RESULT_TIMEOUT)).containsOnly(1);
        assertIdle(DUCKDB);
    }

    @Test
    void raisedCapacityGrantsWaitingJobsAndLoweredCapacityRevokesNothing() {
        start(1, HOUR);
        List<String> jobs = List.of("job-1", "job-2", "job-3", "job-4", "job-5");
        Map<String, WorkflowStub> holders = new java.util.LinkedHashMap<>();
        for (String job : jobs) {
            int known = holders.size();
            holders.put(job, startHolder(job, Plan.holding(DUCKDB, FOREVER)));
            awaitGate(DUCKDB, gate -> gate.running() + gate.waiting() == known + 1);
        }
        assertThat(snapshot(DUCKDB).queue()).containsExactly("job-2", "job-3", "job-4", "job-5");

        gateStub(DUCKDB).setCapacity(3);
        GateSnapshot raised = awaitGate(DUCKDB, gate -> gate.running() == 3);
        assertThat(raised.holders()).containsExactly("job-1", "job-2", "job-3");
        assertThat(raised.queue()).containsExactly("job-4", "job-5");

        gateStub(DUCKDB).setCapacity(1);
        holders.get("job-1").signal("finish");
        GateSnapshot lowered = awaitGate(DUCKDB, gate -> gate.running() == 2);
        assertThat(lowered.capacity()).isEqualTo(1);
        assertThat(lowered.holders()).as("held permits are not revoked").containsExactly("job-2", "job-3");
        assertThat(lowered.queue()).as("no grant above the lowered capacity").containsExactly("job-4", "job-5");

        holders.get("job-2").signal("finish");
        awaitGate(DUCKDB, gate -> gate.running() == 1 && gate.waiting() == 2);
        holders.get("job-3").signal("finish");
        awaitGate(DUCKDB, gate -> gate.holds("job-4") && gate.running() == 1);
        holders.get("job-4").signal("finish");
        awaitGate(DUCKDB, gate -> gate.holds("job-5"));
        holders.get("job-5").signal("finish");

        assertThat(resultsOf(List.copyOf(holders.values()), RESULT_TIMEOUT)).containsOnly(1);
        // job-2 and job-3 were granted together; the gate's order is asserted through its holders above.
        assertThat(timeline.grantOrder()).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(timeline.mostHoldingAtOnce()).isEqualTo(3);
        assertIdle(DUCKDB);
    }

    @Test
    void requestCarryingANewConfiguredCapacityUpdatesTheRunningGate() {
        start(1, HOUR);
        startHolder("job-1", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("job-1"));
        startHolder("job-2", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);

        capacities.put(DUCKDB, 3); // what a reconfigured worker sends with its next request
        startHolder("job-3", Plan.holding(DUCKDB, FOREVER));

        GateSnapshot gate = awaitGate(DUCKDB, snapshot -> snapshot.running() == 3);
        assertThat(gate.capacity()).isEqualTo(3);
        assertThat(gate.holders()).containsExactly("job-1", "job-2", "job-3");
    }

    @Test
    void permitComesBackWhenTheHolderSucceeds() {
        start(1, HOUR);
        WorkflowStub first = startHolder("first", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.holds("first"));
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));

        assertThat(resultOf(first)).isEqualTo(1);
        assertThat(resultOf(next)).isEqualTo(1);

        assertThat(timeline.grantedAt("next")).isGreaterThanOrEqualTo(timeline.releasedAt("first"));
        assertIdle(DUCKDB);
    }

    @Test
    void permitComesBackWhenTheHolderFails() {
        start(1, HOUR);
        WorkflowStub failing = startHolder(
                "failing", Plan.holding(DUCKDB, Duration.ofMinutes(5)).failing());
        awaitGate(DUCKDB, gate -> gate.holds("failing"));
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));

        assertThatThrownBy(() -> resultOf(failing))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(ApplicationFailure.class);
        assertThat(resultOf(next)).isEqualTo(1);
        assertIdle(DUCKDB);
    }

    @Test
    void permitComesBackWhenTheHolderIsCancelled() {
        start(1, HOUR);
        WorkflowStub cancelled = startHolder("cancelled", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("cancelled"));
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);

        cancelled.cancel();

        assertThatThrownBy(() -> resultOf(cancelled))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(resultOf(next)).isEqualTo(1);
        assertThat(timeline.grantOrder()).containsExactly("cancelled", "next");
        assertIdle(DUCKDB);
    }

    @Test
    void holderThatContinuesAsNewKeepsItsPermitAndTheNextRunReleasesIt() {
        start(1, Duration.ofMinutes(1)); // sweeps run while the second run holds: it must count as running
        WorkflowStub holder = startHolder(
                "holder", Plan.holding(DUCKDB, Duration.ofMinutes(5)).continuingAsNewWhileHolding());
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        String firstRun = holder.getExecution().getRunId();
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);

        assertThat(resultOf(client.newUntypedWorkflowStub("holder"))).isEqualTo(1);
        assertThat(resultOf(next)).isEqualTo(1);

        assertThat(client.newUntypedWorkflowStub("holder")
                        .describe()
                        .getExecution()
                        .getRunId())
                .isNotEqualTo(firstRun);
        assertThat(timeline.grantOrder()).containsExactly("holder", "next");
        assertThat(timeline.releasedAt("holder") - timeline.grantedAt("holder"))
                .as("held across both runs")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(timeline.grantedAt("next")).isGreaterThanOrEqualTo(timeline.releasedAt("holder"));
        assertThat(timeline.mostHoldingAtOnce()).isEqualTo(1);
        assertIdle(DUCKDB);
    }

    @Test
    void jobCancelledWhileWaitingLeavesTheQueue() {
        start(1, HOUR);
        WorkflowStub holder = startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        WorkflowStub cancelled = startHolder("cancelled", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 2);

        cancelled.cancel();

        assertThatThrownBy(() -> resultOf(cancelled))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        GateSnapshot afterCancel = snapshot(DUCKDB);
        assertThat(afterCancel.queue()).containsExactly("next");
        assertThat(afterCancel.position("next")).isEqualTo(OptionalInt.of(1));
        holder.signal("finish");
        assertThat(resultOf(next)).isEqualTo(1);
        assertThat(timeline.grantOrder()).containsExactly("holder", "next");
        assertIdle(DUCKDB);
    }

    @Test
    void jobWhoseWaitTimesOutLeavesTheQueue() {
        start(1, HOUR);
        WorkflowStub holder = startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        WorkflowStub impatient = startHolder(
                "impatient", Plan.holding(DUCKDB, Duration.ofMinutes(5)).waitingAtMost(Duration.ofMinutes(10)));

        assertThat(resultOf(impatient)).as("grants").isZero();

        assertThat(snapshot(DUCKDB).queue()).isEmpty();
        holder.signal("finish");
        resultOf(holder);
        assertThat(timeline.grantOrder()).containsExactly("holder");
        assertIdle(DUCKDB);
    }

    @Test
    void jobTerminatedWhileWaitingIsSkippedAtOnceWhenItsGrantCannotBeDelivered() {
        start(1, FOREVER); // no sweep can help here
        WorkflowStub holder = startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        WorkflowStub terminated = startHolder("terminated", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 2);
        terminated.terminate("operator");

        holder.signal("finish");

        assertThat(resultOf(next)).isEqualTo(1);
        assertThat(timeline.grantOrder()).containsExactly("holder", "next");
        assertThat(timeline.grantedAt("next") - timeline.releasedAt("holder"))
                .isLessThan(Duration.ofMinutes(1).toMillis());
        assertIdle(DUCKDB);
    }

    @Test
    void permitOfATerminatedHolderComesBackAtTheNextLivenessSweep() {
        start(1, Duration.ofMinutes(1));
        WorkflowStub terminated = startHolder("terminated", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("terminated"));
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        long terminatedAt = env.currentTimeMillis();

        terminated.terminate("operator");

        assertThat(resultOf(next)).isEqualTo(1);
        assertThat(timeline.grantedAt("next") - terminatedAt)
                .as("within a sweep interval or two")
                .isBetween(0L, Duration.ofMinutes(2).toMillis());
        assertIdle(DUCKDB);
    }

    @Test
    void permitOfAHolderTimedOutByTemporalComesBackAtTheNextLivenessSweep() {
        start(1, Duration.ofMinutes(1));
        long startedAt = env.currentTimeMillis();
        WorkflowStub timedOut = startHolder("timed-out", Plan.holding(DUCKDB, FOREVER), Duration.ofMinutes(10));
        awaitGate(DUCKDB, gate -> gate.holds("timed-out"));
        WorkflowStub next = startHolder("next", Plan.holding(DUCKDB, Duration.ofMinutes(5)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);

        assertThat(resultOf(next)).isEqualTo(1);

        assertThatThrownBy(() -> resultOf(timedOut)).isInstanceOf(WorkflowFailedException.class);
        assertThat(timeline.grantedAt("next") - startedAt)
                .as("the holder's timeout plus a sweep interval or two")
                .isBetween(
                        Duration.ofMinutes(10).toMillis(),
                        Duration.ofMinutes(12).toMillis());
        assertIdle(DUCKDB);
    }

    @Test
    void waitingJobAsksAgainWhenItsGateWasTerminatedAndForgotIt() {
        start(1, HOUR);
        WorkflowStub holder = startHolder("holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("holder"));
        WorkflowStub waiting = startHolder("waiting", Plan.holding(DUCKDB, Duration.ofMinutes(1)));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        long terminatedAt = env.currentTimeMillis();

        client.newUntypedWorkflowStub(Gates.workflowId(DUCKDB)).terminate("operator resets the gate");

        assertThat(resultOf(waiting)).isEqualTo(1);
        assertThat(timeline.grantedAt("waiting") - terminatedAt)
                .as("asked again within ten minutes")
                .isBetween(0L, GatePermit.ASK_AGAIN_AFTER.toMillis() + 1_000);
        holder.signal("finish");
        assertThat(resultOf(holder))
                .as("its release reaches no gate, harmlessly")
                .isEqualTo(1);
        assertIdle(DUCKDB);
    }

    @Test
    void gatesOfTwoDriversAreIndependent() {
        start(HOUR, GateInput.DEFAULT_MAX_STEPS_PER_RUN, Map.of(DUCKDB, 1, PYTHON, 1));
        startHolder("duckdb-holder", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("duckdb-holder"));
        startHolder("duckdb-waiter", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);

        List<WorkflowStub> pythonJobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pythonJobs.add(startHolder("python-" + i, Plan.holding(PYTHON, Duration.ofMinutes(1))));
        }
        assertThat(resultsOf(pythonJobs, RESULT_TIMEOUT)).containsOnly(1);

        assertIdle(PYTHON);
        GateSnapshot duckdb = snapshot(DUCKDB);
        assertThat(duckdb.holders()).containsExactly("duckdb-holder");
        assertThat(duckdb.queue()).containsExactly("duckdb-waiter");
        assertThat(snapshot(PYTHON).capacity()).isEqualTo(1);
    }

    @Test
    void livenessCheckCountsClosedAndUnknownWorkflowsAsNotRunning() {
        start(1, HOUR);
        startHolder("running", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.holds("running"));
        WorkflowStub waiting = startHolder("terminated", Plan.holding(DUCKDB, FOREVER));
        awaitGate(DUCKDB, gate -> gate.waiting() == 1);
        waiting.terminate("operator");

        assertThat(gateActivities.notRunning(List.of("running", "terminated", "never-started")))
                .containsExactly("terminated", "never-started");
    }

    @Test
    void requestForAnUnknownDriverFailsWithoutRetry() {
        start(1, HOUR);

        assertThatThrownBy(() -> gateActivities.requestPermit(
                        "spark", new PermitRequest("job", 5, Instant.ofEpochMilli(env.currentTimeMillis()))))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(GateActivities.UNKNOWN_DRIVER);
                    assertThat(failure.isNonRetryable()).isTrue();
                });
    }

    @Test
    void thousandsOfAcquireReleaseCyclesAcrossContinueAsNewLoseNothing() throws Exception {
        cycleAndCheck(4, 20, 100, 3, Duration.ofSeconds(90));
    }

    @Test
    void cyclesWithoutPauseAtTwiceTheCapacityNeverExceedIt() throws Exception {
        // Every cycler asks again as soon as it released, from three sources: the most crossings of
        // grants, releases and requests in flight at once.
        cycleAndCheck(8, 40, 40, 0, Duration.ofSeconds(120));
    }

    /**
     * {@code cyclers} holders, each acquiring and releasing {@code cycles} times, every {@code
     * pausing}-th of them holding each permit for a second (none when 0), across many runs of the
     * gate; then checks from the histories that no more than {@code capacity} held at once, every
     * grant was delivered and released, and the gate replays its own runs.
     */
    private void cycleAndCheck(int capacity, int cyclers, int cycles, int pausing, Duration bound) throws Exception {
        start(capacity, Duration.ofMinutes(1));
        List<WorkflowStub> stubs = new ArrayList<>();
        for (int i = 0; i < cyclers; i++) {
            stubs.add(startHolder(
                    "cycler-" + i,
                    Plan.holding(DUCKDB, pausing > 0 && i % pausing == 0 ? Duration.ofSeconds(1) : Duration.ZERO)
                            .withPriority(i % 10)
                            .from("source-" + i % 3)
                            .cycling(cycles)));
        }

        assertThat(resultsOf(stubs, bound)).as("grants per cycler").containsOnly(cycles);

        assertIdle(DUCKDB);
        List<WorkflowExecutionHistory> runs = gateRuns(DUCKDB);
        assertThat(mostHoldingAtOnce(stubs, runs))
                .as("holders at once, from the holders' histories")
                .isEqualTo(capacity);
        assertThat(runs).as("runs of the gate").hasSizeGreaterThan(1);
        for (WorkflowExecutionHistory run : runs) {
            assertThat(run.getEvents()).as("events of one run").hasSizeLessThan(10_240);
        }
        Map<String, List<Instant>> requests = new HashMap<>();
        for (HistoryEvent event : signals(runs, "acquire")) {
            PermitRequest request = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                    event.getWorkflowExecutionSignaledEventAttributes()
                            .getInput()
                            .getPayloads(0),
                    PermitRequest.class,
                    PermitRequest.class);
            requests.computeIfAbsent(request.jobId(), id -> new ArrayList<>()).add(request.requestedAt());
        }
        assertThat(requests.values())
                .as("every cycler's requests, each at a time of its own (one may arrive twice)")
                .hasSize(cyclers)
                .allSatisfy(times -> assertThat(Set.copyOf(times)).hasSize(cycles));
        // The gate's code replays its own histories: nothing in it is non-deterministic.
        WorkflowReplayer.replayWorkflowExecution(runs.get(0), GateWorkflowImpl.class);
        WorkflowReplayer.replayWorkflowExecution(runs.get(runs.size() - 1), GateWorkflowImpl.class);
    }

    private WorkflowStub startHolder(String jobId, Plan plan) {
        return startHolder(jobId, plan, null);
    }

    private WorkflowStub startHolder(String jobId, Plan plan, Duration executionTimeout) {
        WorkflowOptions.Builder options =
                WorkflowOptions.newBuilder().setWorkflowId(jobId).setTaskQueue(TaskQueues.forDriver(plan.driver()));
        if (executionTimeout != null) {
            options.setWorkflowExecutionTimeout(executionTimeout);
        }
        HolderWorkflow holder = client.newWorkflowStub(HolderWorkflow.class, options.build());
        WorkflowClient.start(holder::hold, plan);
        return WorkflowStub.fromTyped(holder);
    }

    /** The holder's result; a holder still waiting after a generous real-time bound means a lost grant. */
    private static int resultOf(WorkflowStub holder) {
        return resultsOf(List.of(holder), RESULT_TIMEOUT).get(0);
    }

    /** The holders' results, all within {@code bound} of real time. */
    private static List<Integer> resultsOf(List<WorkflowStub> holders, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Integer> results = new ArrayList<>();
        for (WorkflowStub holder : holders) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                results.add(holder.getResult(left, TimeUnit.NANOSECONDS, Integer.class));
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "holder " + holder.getExecution().getWorkflowId() + " did not finish within " + bound
                                + " of real time: a grant or a release was lost",
                        e);
            }
        }
        return results;
    }

    private GateWorkflow gateStub(String driver) {
        return client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(driver));
    }

    private GateSnapshot snapshot(String driver) {
        return gateStub(driver).snapshot();
    }

    /** Waits, in real time and without skipping test time, until the gate's query satisfies {@code condition}. */
    private GateSnapshot awaitGate(String driver, Predicate<GateSnapshot> condition) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .ignoreExceptions()
                .until(() -> snapshot(driver), condition::test);
    }

    /** Every permit came back and nobody waits. */
    private void assertIdle(String driver) {
        GateSnapshot gate = awaitGate(driver, snapshot -> snapshot.running() == 0 && snapshot.waiting() == 0);
        assertThat(gate.holders()).isEmpty();
        assertThat(gate.queue()).isEmpty();
    }

    /**
     * The most jobs holding a permit at once, measured from server times. A hold of request r runs
     * from the first grant of r reaching the holder to the first release of r reaching the gate, so
     * it contains both the holder's hold (it takes the first grant of the request it waits with, and
     * releases before the release arrives) and lies within the gate's (which granted before its
     * grant arrived, and frees it when the release arrives). Grants sent again, and grants of a
     * request the holder no longer had, are not its first grant of that request and hold nothing.
     *
     * <p>Event times have millisecond resolution, so several edges may share one. At equal times
     * the ends of holds begun before come first (causal: the gate grants only after it received a
     * release), then the starts, then the ends of holds begun in that same millisecond: a hold
     * shorter than a millisecond still counts, and no hold ends before it began.
     */
    private int mostHoldingAtOnce(List<WorkflowStub> holders, List<WorkflowExecutionHistory> gateRuns) {
        record Edge(long nanos, int rank, String jobId, int delta) {}
        io.temporal.common.converter.DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;
        Map<String, Long> firstRelease = new HashMap<>();
        for (HistoryEvent event : signals(gateRuns, "release")) {
            var input = event.getWorkflowExecutionSignaledEventAttributes().getInput();
            String jobId = converter.fromPayload(input.getPayloads(0), String.class, String.class);
            Instant requestedAt = converter.fromPayload(input.getPayloads(1), Instant.class, Instant.class);
            firstRelease.putIfAbsent(jobId + "@" + requestedAt, nanos(event));
        }
        List<Edge> edges = new ArrayList<>();
        for (WorkflowStub holder : holders) {
            String jobId = holder.getExecution().getWorkflowId();
            Set<Instant> granted = new HashSet<>();
            for (HistoryEvent event : signals(List.of(client.fetchHistory(jobId)), Gates.PERMIT_GRANTED)) {
                Instant requestedAt = converter.fromPayload(
                        event.getWorkflowExecutionSignaledEventAttributes()
                                .getInput()
                                .getPayloads(0),
                        Instant.class,
                        Instant.class);
                if (!granted.add(requestedAt)) {
                    continue;
                }
                Long released = firstRelease.get(jobId + "@" + requestedAt);
                assertThat(released)
                        .as("the release of %s's request of %s", jobId, requestedAt)
                        .isNotNull();
                long start = nanos(event);
                assertThat(released)
                        .as("%s's hold of %s ends after it began", jobId, requestedAt)
                        .isGreaterThanOrEqualTo(start);
                edges.add(new Edge(start, 1, jobId, 1));
                edges.add(new Edge(released, released == start ? 2 : 0, jobId, -1));
            }
        }
        edges.sort(Comparator.comparingLong(Edge::nanos).thenComparingInt(Edge::rank));
        Map<String, Integer> open = new HashMap<>();
        int most = 0;
        for (Edge edge : edges) {
            open.merge(edge.jobId(), edge.delta(), (a, b) -> a + b == 0 ? null : a + b);
            most = Math.max(most, open.size());
        }
        assertThat(open).as("every grant was released").isEmpty();
        return most;
    }

    /** The signals named {@code name} in {@code histories}, in history order. */
    private static List<HistoryEvent> signals(List<WorkflowExecutionHistory> histories, String name) {
        return histories.stream()
                .flatMap(history -> history.getEvents().stream())
                .filter(event -> event.hasWorkflowExecutionSignaledEventAttributes()
                        && event.getWorkflowExecutionSignaledEventAttributes()
                                .getSignalName()
                                .equals(name))
                .toList();
    }

    private static long nanos(HistoryEvent event) {
        return event.getEventTime().getSeconds() * 1_000_000_000L
                + event.getEventTime().getNanos();
    }

    /** The gate's runs, first to last, following continue-as-new back from the current run. */
    private List<WorkflowExecutionHistory> gateRuns(String driver) {
        String gateId = Gates.workflowId(driver);
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        String runId =
                client.newUntypedWorkflowStub(gateId).describe().getExecution().getRunId();
        while (!runId.isEmpty()) {
            WorkflowExecutionHistory run = client.fetchHistory(gateId, runId);
            runs.add(0, run);
            HistoryEvent started = run.getEvents().get(0);
            runId = started.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        }
        return runs;
    }
}
