package dev.hubble.core.gate;

import io.temporal.workflow.SignalMethod;

/**
 * What a workflow that asks a gate for a permit must accept: the gate's grant. A workflow
 * interface extends this one (e.g. {@code interface JobWorkflow extends PermitHolder}); the gate
 * signals the workflow whose id is the job id of the request.
 *
 * <p>A grant may arrive more than once (a repeated request from a holder is answered again), and
 * after the workflow stopped waiting; the handler must treat both as no-ops.
 */
public interface PermitHolder {

    /** The gate granted this workflow's job its permit. */
    @SignalMethod(name = Gates.PERMIT_GRANTED)
    void permitGranted();
}
