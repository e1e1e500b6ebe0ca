package dev.hubble.core.temporal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Fetches the tail of one job's log from the worker that serves its driver. The API runs it on
 * the driver's task queue ({@link TaskQueues#forDriver}), because only a worker of the driver can
 * reach the engine (or, for a local driver, the process and files it started); the API itself
 * depends on no driver. Short-lived: one activity, bounded in time.
 */
@WorkflowInterface
public interface JobLogWorkflow {

    /** The prefix of its workflow ids: {@code joblog-<jobId>}. */
    String WORKFLOW_ID_PREFIX = "joblog-";

    /**
     * At most {@code lines} of the end of the log of the remote job {@code handle} names, oldest
     * first; empty when the driver keeps no log or no longer has this job's.
     */
    @WorkflowMethod(name = "HubbleJobLog")
    List<String> tail(RunHandle handle, int lines);
}
