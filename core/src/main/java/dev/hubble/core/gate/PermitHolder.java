package dev.hubble.core.gate;

import io.temporal.workflow.SignalMethod;
import java.time.Instant;

/**
 * What a workflow that asks a gate for a permit must accept: the gate's grant. A workflow
 * interface extends this one (e.g. {@code interface JobWorkflow extends PermitHolder}); the gate
 * signals the workflow whose id is the job id of the request.
 *
 * <p>A grant may arrive more than once (a repeated request from a holder is answered again), and
 * after the workflow stopped waiting, or for a request it has given back; the handler must take
 * only a grant of the request it waits with, and give back a grant of a request it no longer has
 * (the gate may hold a permit for it).
 */
public interface PermitHolder {

    /**
     * The gate granted this workflow's job its permit.
     *
     * @param requestedAt the {@link PermitRequest#requestedAt} of the request granted
     */
    @SignalMethod(name = Gates.PERMIT_GRANTED)
    void permitGranted(Instant requestedAt);
}
