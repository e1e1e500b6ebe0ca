package dev.hubble.core.temporal;

import dev.hubble.core.gate.PermitHolder;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One job, from acceptance to its final state. The workflow id is the job id; the workflow runs
 * on its driver's task queue ({@link TaskQueues#forDriver}). Cancelling the workflow cancels the
 * job.
 */
@WorkflowInterface
public interface JobWorkflow extends PermitHolder {

    /** Runs the job to a terminal state and returns its final record. */
    @WorkflowMethod(name = "HubbleJob")
    JobRecord run(JobWorkflowInput input);

    /**
     * The job reports an error about itself (e.g. the SQL error a Spark job saw). The first report
     * becomes the job's error if the job fails, ahead of the engine's own reason, and wakes the
     * poll loop so the failure is seen at once.
     */
    @SignalMethod
    void reportError(JobError error);

    /**
     * The job says how it is doing (RUNNING, or finished). A hint, not the truth: it wakes the
     * workflow for an immediate poll of the engine, and the poll interval starts again from its
     * initial value.
     */
    @SignalMethod
    void reportProgress(ProgressReport report);

    /**
     * Cancels the job, as Temporal's cancel request does: the remote job is killed and the job
     * ends CANCELLED. Sent with the cancel request by {@link JobCancellation}; see there why.
     */
    @SignalMethod
    void requestCancel();

    /** The job's current record. */
    @QueryMethod
    JobRecord status();
}
