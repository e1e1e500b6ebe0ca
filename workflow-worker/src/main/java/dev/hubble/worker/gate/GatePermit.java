package dev.hubble.worker.gate;

import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.gate.PermitHolder;
import dev.hubble.core.gate.PermitRequest;
import dev.hubble.worker.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.springframework.lang.Nullable;

/**
 * A workflow's permit from its driver's gate: the workflow-side half of the gate protocol. Use it
 * only in workflow code, one per workflow instance (a field), from a workflow whose interface
 * extends {@link PermitHolder} and whose id is the job id:
 *
 * <pre>{@code
 * private final GatePermit permit = new GatePermit();
 *
 * public void permitGranted(Instant requestedAt) { permit.granted(requestedAt); }
 *
 * // in the workflow method
 * if (!permit.acquireUnless(driver, new PermitRequest(jobId, priority, now, source, acceptedAt), () -> stop)) {
 *     ...stopped while waiting...
 * }
 * ... submit and run the job ...
 * permit.release(); // on every way out: success, failure, cancel, timeout
 * }</pre>
 *
 * <p>{@link #acquireUnless} asks the gate (signal-with-start through {@link GateActivities}, as
 * a local activity) and waits for the grant, asking again every ten minutes in case the gate was
 * reset; when the caller's stop condition holds first it gives the place back before it returns.
 * {@link #release} gives the permit back through a local activity in a detached cancellation
 * scope, so it works in a cancelled workflow too; {@link #releaseInBackground} lets the workflow
 * go on meanwhile. Both are idempotent.
 *
 * <p>Requests, grants and releases name the request they are about ({@link
 * PermitRequest#requestedAt}), and every request is later than the one before. So a release that
 * reaches the gate late (a local activity run again when its workflow task is) never frees the
 * permit of a request made after it, and a grant is taken only for the request the workflow
 * waits with: a grant of a request it no longer has (a late copy of an old request reached the
 * gate after its release, or the gate sent a grant again) is given back at once, so that the
 * gate's permit for it goes to the next job. Do not call {@link #release} from a {@code finally}
 * that a continue-as-new passes through: a run that continues as new keeps the permit, and the
 * next run takes it over with {@link #resumeHolding}.
 *
 * <p>Not thread-safe, like all workflow state; the handler and the workflow method share it on
 * the workflow's single logical thread.
 */
public final class GatePermit {

    private static final Logger log = Workflow.getLogger(GatePermit.class);

    /**
     * How long a job waits before it asks again. A gate that was terminated and started afresh has
     * forgotten its queue; asking again (a no-op for a gate that has the request) puts the job
     * back in line instead of leaving it waiting for ever.
     */
    static final Duration ASK_AGAIN_AFTER = Duration.ofMinutes(10);

    private final GateActivities requester = ActivityStubs.permitRequests();
    private final GateActivities releaser = ActivityStubs.permitReleases();

    private final List<Promise<Void>> releases = new ArrayList<>();
    private @Nullable String driver;
    private @Nullable PermitRequest request;
    private @Nullable Instant lastRequestedAt;
    private @Nullable String jobId;
    /** The job and driver this permit was last asked for, to give back grants it did not take. */
    private @Nullable String owner;

    private @Nullable String ownerDriver;
    private boolean waiting;
    private boolean held;

    /**
     * Waits until every release sent so far has reached its gate, or was given up on; call it
     * before the workflow ends.
     */
    public void awaitReleased() {
        // Not an iterator: a grant given back while this waits adds to the list.
        while (!releases.isEmpty()) {
            Promise<Void> release = releases.remove(0);
            try {
                Workflow.newDetachedCancellationScope(release::get).run();
            } catch (ActivityFailure failure) {
                // A gate that stays away holds no permit of ours, or frees it at its next liveness sweep.
                log.warn("A permit could not be given back: {}", failure.getMessage());
            }
        }
    }

    /**
     * Asks {@code driver}'s gate for a permit and waits until it is granted or {@code stop} holds.
     * It never cancels a timer (the timers it starts to ask again are left to fire), so a stop
     * that lands just as a timer fires cannot hit the Temporal test server's CancelTimer race.
     *
     * @param stop checked whenever the workflow wakes, e.g. "cancel requested or deadline passed"
     * @return whether the permit is held; false when {@code stop} held first (or the workflow was
     *     cancelled), and the place in the queue has been given back
     * @throws ActivityFailure when the gate could not be reached; nothing is held
     * @throws IllegalStateException when this permit was asked for and not released
     */
    public boolean acquireUnless(String driver, PermitRequest request, Supplier<Boolean> stop) {
        ask(driver, request);
        while (!held) {
            Promise<Void> askAgain = detachedTimer(ASK_AGAIN_AFTER);
            boolean cancelled = false;
            try {
                Workflow.await(() -> held || stop.get() || askAgain.isCompleted());
            } catch (CanceledFailure e) {
                cancelled = true; // the caller's stop condition sees the cancel request too
            }
            if (held) {
                return true;
            }
            if (cancelled || stop.get()) {
                release();
                return false;
            }
            askAgain();
        }
        return true;
    }

    /** A timer outside every cancellation scope, left to fire: it is never cancelled. */
    static Promise<Void> detachedTimer(Duration delay) {
        @SuppressWarnings("unchecked")
        Promise<Void>[] timer = new Promise[1];
        Workflow.newDetachedCancellationScope(() -> timer[0] = Workflow.newTimer(delay))
                .run();
        return timer[0];
    }

    /**
     * Takes the gate's grant of the request made at {@code requestedAt}; call it from the
     * workflow's {@link PermitHolder#permitGranted} handler. A grant of the request this permit
     * waits with makes it held; one of the request it holds (sent again) changes nothing; one of a
     * request it no longer has is given back, so that the gate's permit for it is not lost.
     */
    public void granted(Instant requestedAt) {
        if (request != null && requestedAt.equals(request.requestedAt())) {
            if (waiting) {
                waiting = false;
                held = true;
            }
            return;
        }
        if (request == null && held) {
            // Held since the run before, whose request this run does not know: nothing to give back.
            return;
        }
        if (owner != null && ownerDriver != null) {
            log.info("Job {} gives back a grant of its earlier request of {}", owner, requestedAt);
            String job = owner;
            String gate = ownerDriver;
            Workflow.newDetachedCancellationScope(
                            () -> releases.add(Async.procedure(releaser::releasePermit, gate, job, requestedAt)))
                    .run();
        }
    }

    /**
     * Takes over the permit of a run that continued as new while it held one, so that this run
     * releases it.
     */
    public void resumeHolding(String driver, String jobId) {
        Gates.workflowId(driver); // validates the name
        this.driver = driver;
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        owner = jobId;
        ownerDriver = driver;
        request = null;
        waiting = false;
        held = true;
    }

    /** Whether the permit is held now. */
    public boolean isHeld() {
        return held;
    }

    /**
     * Gives the permit back, or the place in the queue if it is not granted yet, and waits until
     * the gate has it; does nothing if it was never asked for or is already released. Runs in a
     * detached cancellation scope, so it completes in a cancelled workflow too. The permit may be
     * asked for again afterwards.
     */
    public void release() {
        releaseInBackground();
        awaitReleased();
    }

    /**
     * Like {@link #release}, but returns at once, while the release runs alongside what the
     * workflow does next (its final record, say, so giving the permit back costs the job no round
     * trip of its own); call {@link #awaitReleased} before the workflow ends.
     */
    public void releaseInBackground() {
        if (jobId == null || driver == null) {
            return;
        }
        String releasing = jobId;
        String releasedDriver = driver;
        // Null for a permit taken over from the run before: released whatever it was asked at.
        Instant releasedRequest = request == null ? null : request.requestedAt();
        jobId = null;
        request = null;
        waiting = false;
        held = false;
        Workflow.newDetachedCancellationScope(() -> releases.add(
                        Async.procedure(releaser::releasePermit, releasedDriver, releasing, releasedRequest)))
                .run();
    }

    private void ask(String driver, PermitRequest asked) {
        if (jobId != null) {
            throw new IllegalStateException("job " + jobId + " already asked for a permit; release it first");
        }
        Gates.workflowId(driver); // validates the name before anything is sent
        PermitRequest request = asked;
        if (lastRequestedAt != null && !asked.requestedAt().isAfter(lastRequestedAt)) {
            // Each request is later than the one before, so a late release of that one frees nothing.
            request = asked.askedAt(lastRequestedAt.plusMillis(1));
        }
        lastRequestedAt = request.requestedAt();
        this.driver = driver;
        this.request = request;
        this.jobId = request.jobId();
        owner = request.jobId();
        ownerDriver = driver;
        waiting = true; // before the request: the grant may arrive before the activity's result
        held = false;
        try {
            send(driver, request);
        } catch (ActivityFailure failure) {
            release(); // the gate may have the request even though the activity failed
            throw failure;
        }
    }

    private void askAgain() {
        try {
            send(driver, request);
        } catch (ActivityFailure failure) {
            // The gate most likely still has the first request; the next round asks again.
            log.warn("Job {} could not ask gate {} again: {}", jobId, Gates.workflowId(driver), failure.getMessage());
        }
    }

    private void send(String driver, PermitRequest request) {
        // Detached: a cancel must not leave it unknown whether the gate has the request.
        Workflow.newDetachedCancellationScope(() -> requester.requestPermit(driver, request))
                .run();
    }
}
