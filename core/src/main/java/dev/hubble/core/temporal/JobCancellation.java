package dev.hubble.core.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;

/**
 * How a job is cancelled: the {@link JobWorkflow#requestCancel} signal, then Temporal's own
 * cancel request. Either one ends the job; the workflow acts on whichever it sees first.
 *
 * <p>Why both: a cancel request that reaches a run in the moment it continues as new can be
 * dropped without an error by the Temporal test server (the local stack's), while a signal to a
 * run that has just closed fails, so it is sent again to the run that follows. The cancel request
 * still matters: it marks the workflow cancelled in Temporal (its UI, its history), and it is what
 * a cancel from the Temporal UI sends.
 */
public final class JobCancellation {

    /** How often a signal that found no open run is sent again. */
    static final int ATTEMPTS = 20;

    static final long PAUSE_MILLIS = 50;

    private JobCancellation() {}

    /**
     * Asks job {@code jobId} to cancel.
     *
     * @throws WorkflowNotFoundException if the job has no open run (it has finished, or never existed)
     */
    public static void request(WorkflowClient client, String jobId) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.newWorkflowStub(JobWorkflow.class, jobId).requestCancel();
                break;
            } catch (WorkflowNotFoundException e) {
                // Between two runs, or finished: only another try tells which.
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                pause();
            }
        }
        try {
            client.newUntypedWorkflowStub(jobId).cancel();
        } catch (WorkflowNotFoundException e) {
            // Closed since the signal: the signal has done its work.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cancelling a job", e);
        }
    }
}
