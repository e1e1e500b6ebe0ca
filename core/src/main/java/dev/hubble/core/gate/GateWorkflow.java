package dev.hubble.core.gate;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A driver's admission gate: one workflow per driver, id {@link Gates#workflowId}, on the driver's
 * task queue, started by the first request ({@link GateActivities#requestPermit} signals with
 * start). It never finishes; it continues as new, carrying its holders and queue, before its
 * history grows large.
 *
 * <p>At most {@code capacity} jobs hold a permit at once. Waiting jobs are granted highest
 * priority first, in arrival order within a priority; a grant is the {@link PermitHolder}
 * signal to the workflow whose id is the job id. Every signal is idempotent.
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
     * A job asks for a permit. Changes nothing when the job already waits; when it already holds
     * one, the grant is sent again (the job may have lost track of it, e.g. after a reset).
     *
     * @param configuredCapacity the capacity the sender's configuration gives the driver; when it
     *     differs from the last one configured it becomes the gate's capacity, so a configuration
     *     change reaches a running gate with the next request. 0 leaves the capacity alone.
     */
    @SignalMethod
    void acquire(PermitRequest request, int configuredCapacity);

    /**
     * A job gives its permit back, or its place in the queue when it still waits. Changes nothing
     * when the job neither holds nor waits.
     */
    @SignalMethod
    void release(String jobId);

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
