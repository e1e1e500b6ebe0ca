package dev.hubble.core.temporal;

import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import io.temporal.activity.ActivityInterface;
import org.springframework.lang.Nullable;

/**
 * Runs jobs on their engines through the driver of each job. Every method is safe to retry:
 * {@link #submit} finds a remote job it already created instead of creating a second one.
 *
 * <p>Failures: an {@code ApplicationFailure} of type {@link #JOB_REJECTED} is final (the engine
 * refused the job, e.g. a SQL syntax error); anything else is transient and retried.
 */
@ActivityInterface(namePrefix = "Job")
public interface JobActivities {

    /** Failure type of a job its engine refuses; never retried. */
    String JOB_REJECTED = "JobRejected";

    /** Submits the job to its driver's engine, or finds the one already submitted. */
    RunHandle submit(String jobId, JobSpec spec);

    /**
     * Watches the remote job until its phase differs from {@code request.knownPhase()} (a job the
     * engine no longer finds counts once {@code request.maxNotFound()} polls in a row missed it),
     * or until the watch's window has passed; returns what it saw last. Polls at once, then at a
     * growing interval; a local engine ends the wait as soon as the job finishes. Heartbeats
     * while it waits, so a watch on a worker that died is started again elsewhere; nothing lands
     * in the workflow's history per poll.
     */
    RemoteStatus watch(RunHandle handle, WatchRequest request);

    /** Kills the remote job and returns once the engine confirmed it; does nothing if it has finished or is gone. */
    void cancel(RunHandle handle);

    /** The engine's last words about a failed job (a log tail), if it has any. */
    @Nullable
    String diagnostics(RunHandle handle);

    /**
     * The manifest of what the job wrote to its result location, after uploading there what a
     * local engine wrote to its working directory. Names at most
     * {@value dev.hubble.core.job.JobResult#MAX_LISTED_FILES} files, so the result stays small.
     */
    JobResult collectResult(String jobId, JobSpec spec);
}
