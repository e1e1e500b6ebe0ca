package dev.hubble.worker.gate;

import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.gate.GateInput;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.PermitHolder;
import dev.hubble.core.gate.PermitRequest;
import dev.hubble.worker.ActivityStubs;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.springframework.lang.Nullable;

/**
 * A driver's admission gate (see {@link GateWorkflow} for the contract).
 *
 * <p>Signal handlers only change the gate's state; they never block. The main loop grants
 * permits while there is room, runs the liveness sweep, and continues as new after
 * {@code maxStepsPerRun} steps or when Temporal suggests it. Before it does, it stops granting and
 * waits until no grant is in flight, no sweep runs and every handler has finished, so the state it
 * carries over is complete; a signal that arrives while the last workflow task runs makes Temporal
 * reject that task's completion and deliver it again with the signal, so no signal is lost.
 *
 * <p>The state is restored in the {@link WorkflowInit} constructor, before any handler runs: with
 * signal-with-start the first signal is delivered together with the start.
 */
public final class GateWorkflowImpl implements GateWorkflow {

    private static final Logger log = Workflow.getLogger(GateWorkflowImpl.class);

    private final GateActivities liveness = ActivityStubs.gateSweeps();

    private final String driver;
    private final Duration sweepInterval;
    private final int maxStepsPerRun;
    private int capacity;
    private GatePolicy configured;
    /** Holders in grant order. */
    private final Map<String, PermitRequest> holders = new LinkedHashMap<>();
    // Only looked up, never iterated.
    private final Map<String, Integer> heldBySource = new HashMap<>();

    private final AdmissionQueue queue = new AdmissionQueue();

    private int steps;
    private int grantsInFlight;
    private boolean continuing;
    private boolean sweepTimerArmed;
    private boolean sweepDue;
    private @Nullable CancellationScope sweep;

    @WorkflowInit
    public GateWorkflowImpl(GateInput input) {
        driver = input.driver();
        sweepInterval = input.sweepInterval();
        maxStepsPerRun = input.maxStepsPerRun();
        capacity = input.capacity();
        configured = input.configured();
        input.holders().forEach(this::hold);
        input.queue().forEach(queue::add);
    }

    @Override
    public void run(GateInput input) {
        log.info(
                "Gate of {} runs with capacity {}, {} holders and {} waiting",
                driver,
                capacity,
                holders.size(),
                queue.size());
        while (!continueAsNewDue()) {
            grantWhileRoom();
            armSweepTimer();
            if (sweepDue && sweep == null) {
                sweepDue = false;
                startSweep();
            }
            Workflow.await(() -> hasRoom() || (sweepDue && sweep == null) || sweepTimerNeeded() || continueAsNewDue());
        }
        continuing = true;
        if (sweep != null) {
            sweep.cancel(); // its result would be lost anyway; the next run sweeps again
        }
        Workflow.await(() -> grantsInFlight == 0 && sweep == null && Workflow.isEveryHandlerFinished());
        log.info(
                "Gate of {} continues as new after {} steps, with {} holders and {} waiting",
                driver,
                steps,
                holders.size(),
                queue.size());
        Workflow.continueAsNew(new GateInput(
                driver,
                capacity,
                configured,
                sweepInterval,
                maxStepsPerRun,
                List.copyOf(holders.values()),
                queue.inGrantOrder(configured)));
    }

    @Override
    public void acquire(PermitRequest request, @Nullable GatePolicy policy) {
        steps++;
        if (request == null) {
            // Thrown, it would fail the workflow task over and over and wedge the gate.
            log.warn("Gate of {} ignores an acquire without a request", driver);
            return;
        }
        if (policy != null && !policy.equals(configured)) {
            log.info("Gate of {}: configured policy {} replaces {}", driver, policy, configured);
            configured = policy;
            capacity = policy.capacity();
        }
        PermitRequest held = holders.get(request.jobId());
        if (held != null) {
            if (isLater(request, held)) {
                hold(request); // keeps its place in grant order
            }
            notifyGranted(holders.get(request.jobId()));
            return;
        }
        PermitRequest waiting = queue.get(request.jobId());
        if (waiting == null) {
            queue.add(request);
        } else if (isLater(request, waiting)) {
            queue.replace(request); // keeps its place in the queue
        }
    }

    @Override
    public void release(String jobId, @Nullable Instant requestedAt) {
        steps++;
        if (jobId == null) {
            log.warn("Gate of {} ignores a release without a job id", driver);
            return;
        }
        PermitRequest held = holders.get(jobId);
        PermitRequest released = held != null ? held : queue.get(jobId);
        if (released == null) {
            return;
        }
        if (requestedAt != null && released.requestedAt().isAfter(requestedAt)) {
            // Sent again, or overtaken by the job's next request: it must not free what came after.
            log.debug("Gate of {} ignores a release of job {}'s request of {}", driver, jobId, requestedAt);
            return;
        }
        if (held != null) {
            drop(jobId);
        } else {
            queue.remove(jobId);
            log.debug("Gate of {}: job {} left the queue", driver, jobId);
        }
    }

    /** Whether {@code request} was asked after {@code known}: the job released that one and asked again. */
    private static boolean isLater(PermitRequest request, PermitRequest known) {
        return request.requestedAt().isAfter(known.requestedAt());
    }

    @Override
    public void setCapacity(int capacity) {
        steps++;
        if (capacity < 0) {
            log.warn("Gate of {} ignores capacity {}", driver, capacity);
            return;
        }
        log.info("Gate of {}: capacity {} replaces {}", driver, capacity, this.capacity);
        this.capacity = capacity;
    }

    @Override
    public GateSnapshot snapshot() {
        List<String> waiting = queue.inGrantOrder(configured).stream()
                .map(PermitRequest::jobId)
                .toList();
        return GateSnapshot.of(driver, capacity, List.copyOf(holders.keySet()), waiting);
    }

    private boolean hasRoom() {
        return !continuing && holders.size() < capacity && queue.hasGrantable(configured, this::heldBy);
    }

    private void grantWhileRoom() {
        while (hasRoom()) {
            PermitRequest next = queue.poll(configured, this::heldBy);
            hold(next);
            steps++;
            notifyGranted(next);
        }
    }

    /** Makes {@code request} its job's held permit; a job already holding keeps its place in grant order. */
    private void hold(PermitRequest request) {
        if (holders.put(request.jobId(), request) == null) {
            heldBySource.merge(request.source(), 1, Integer::sum);
        }
    }

    /** Frees the permit {@code jobId} holds. */
    private void drop(String jobId) {
        PermitRequest held = holders.remove(jobId);
        if (held != null) {
            heldBySource.merge(held.source(), -1, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    private int heldBy(String source) {
        return heldBySource.getOrDefault(source, 0);
    }

    /**
     * Signals the grant, naming the request it answers. A grant that cannot be delivered (the job's workflow is gone: the promise
     * fails with the server's cause as an {@code ApplicationFailure}) is never a held permit, so
     * the slot goes to the next job at once.
     */
    private void notifyGranted(PermitRequest grant) {
        grantsInFlight++;
        PermitHolder holder = Workflow.newExternalWorkflowStub(PermitHolder.class, grant.jobId());
        Async.procedure(holder::permitGranted, grant.requestedAt()).handle((ok, failure) -> {
            grantsInFlight--;
            if (failure != null && !(failure instanceof CanceledFailure) && holders.get(grant.jobId()) == grant) {
                drop(grant.jobId());
                log.warn(
                        "Gate of {}: the grant to job {} could not be delivered ({}); the permit goes to the next job",
                        driver,
                        grant.jobId(),
                        failure.getMessage());
            }
            return null;
        });
    }

    private boolean sweepTimerNeeded() {
        return !continuing && !sweepTimerArmed && !holders.isEmpty();
    }

    private void armSweepTimer() {
        if (!sweepTimerNeeded()) {
            return;
        }
        sweepTimerArmed = true;
        Workflow.newTimer(sweepInterval).handle((ok, failure) -> {
            sweepTimerArmed = false;
            sweepDue = true;
            steps++;
            return null;
        });
    }

    /** Asks which holders no longer run, then frees the permits they still hold. */
    private void startSweep() {
        if (holders.isEmpty()) {
            return;
        }
        Map<String, PermitRequest> checked = new LinkedHashMap<>(holders);
        @SuppressWarnings("unchecked")
        Promise<List<String>>[] result = new Promise[1];
        CancellationScope scope = Workflow.newCancellationScope(
                () -> result[0] = Async.function(liveness::notRunning, List.copyOf(checked.keySet())));
        sweep = scope;
        scope.run();
        result[0].handle((gone, failure) -> {
            sweep = null;
            if (failure != null) {
                if (!continuing) {
                    log.warn(
                            "Gate of {}: liveness sweep failed, trying again in {}: {}",
                            driver,
                            sweepInterval,
                            failure.getMessage());
                }
                return null;
            }
            for (String jobId : gone) {
                // Only the grant that was checked: the job may have released and asked again since.
                if (holders.get(jobId) == checked.get(jobId) && holders.containsKey(jobId)) {
                    drop(jobId);
                    log.warn("Gate of {}: holder {} no longer runs; its permit goes to the next job", driver, jobId);
                }
            }
            return null;
        });
    }

    private boolean continueAsNewDue() {
        return steps >= maxStepsPerRun || Workflow.getInfo().isContinueAsNewSuggested();
    }
}
