package dev.hubble.core.gate;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Instant;
import org.springframework.lang.Nullable;

/**
 * A driver's admission gate: one workflow per driver, id {@link Gates#workflowId}, on the driver's
 * task queue, started by the first request ({@link GateActivities#requestPermit} signals with
 * start). It never finishes; it continues as new, carrying its holders and queue, before its
 * history grows large.
 *
 * <p>At most {@code capacity} jobs hold a permit at once. Waiting jobs are granted highest
 * priority first; within a priority the sources take turns by weight, a source holding its
 * per-source share waits (see {@link GatePolicy}); within a source, jobs are granted in the order
 * the API accepted them, then by job id, whatever order their workflows reach the gate. A grant is
 * the {@link PermitHolder} signal to the workflow whose id is the job id, naming the request it
 * answers. Every signal is idempotent.
 *
 * <p>Permits come back when the holder releases them, when a grant cannot be delivered because
 * the job's workflow is gone, and when the periodic liveness sweep finds a holder's workflow no
 * longer running (terminated, timed out by Temporal, or finished without releasing).
 */
@WorkflowInterface
public interface GateWorkflow {

    /** Runs the gate; it never returns, it continues as new. */
    @WorkflowMethod(name = "HubbleGate")
    void run(GateInput input);

    /**
     * A job asks for a permit. Changes nothing when the job already waits, except that a later
     * request takes the place of the earlier one; when it already holds one, the grant is sent again
     * (the job may have lost track of it, e.g. after a reset), and a later request becomes the one
     * held.
     *
     * <p>A request the job has already given back (a late copy of it: a retried activity, or an
     * ask-again that crossed its grant) may be queued and granted again; the job gives such a grant
     * back at once, since it names a request the job no longer has.
     *
     * @param configured the policy the sender's configuration gives the driver; when it differs
     *     from the last one configured it becomes the gate's, capacity included, so a configuration
     *     change reaches a running gate with the next request. Null leaves the policy alone.
     */
    @SignalMethod
    void acquire(PermitRequest request, @Nullable GatePolicy configured);

    /**
     * A job gives its permit back, or its place in the queue when it still waits. Changes nothing
     * when the job neither holds nor waits, or when what it holds or waits with was asked for after
     * {@code requestedAt}: a release that arrives late (sent again, or overtaken by the job's next
     * request) never frees a later grant.
     *
     * @param requestedAt when the released request was made ({@link PermitRequest#requestedAt}); null
     *     releases whatever the job holds or waits with (releases sent before requests were named)
     */
    @SignalMethod
    void release(String jobId, @Nullable Instant requestedAt);

    /**
     * Sets the capacity until the configuration names another one. Lowering it revokes nothing:
     * the gate grants nothing until the holders drop below it. 0 pauses the gate; negative values
     * are ignored.
     */
    @SignalMethod
    void setCapacity(int capacity);

    /** The gate's capacity, holders and queue now. */
    @QueryMethod
    GateSnapshot snapshot();
}
