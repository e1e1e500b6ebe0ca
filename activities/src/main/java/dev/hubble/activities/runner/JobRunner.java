package dev.hubble.activities.runner;

import dev.hubble.core.job.JobSpec;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The driver SPI: runs jobs on one engine. A runner knows nothing of Temporal; activities adapt
 * it and turn its exceptions into retryable or final failures. A new engine is one package
 * implementing this interface, plus its properties.
 *
 * <p>Implementations are thread-safe: one instance serves every job of its driver in the
 * process. Every method may be called again after a crash or a timeout, so each is idempotent.
 *
 * <p>Errors: {@link JobRejectedException} when the engine refuses the job itself (bad SQL, an
 * unknown program) and retrying cannot help; any other exception is taken as transient.
 */
public interface JobRunner {

    /** The driver name this runner serves, e.g. {@code duckdb}; names its task queue. */
    String driver();

    /**
     * Submits a job that writes its result files under {@code output}, or, when a job with this
     * id was already submitted (a retried call), returns the handle of that one. Never creates a
     * second remote job for the same job id.
     */
    RunHandle submit(String jobId, JobSpec spec, URI output);

    /**
     * The remote job's state now. A job the engine does not know is {@code NOT_FOUND} (look
     * again), not failed, unless the runner knows it is gone for good.
     */
    RemoteStatus poll(RunHandle handle);

    /**
     * Kills the remote job and returns once the engine confirmed it (or the job had already
     * finished). Does nothing when it has finished or is gone. Throws when the kill could not be
     * confirmed; it is then tried again.
     */
    void cancel(RunHandle handle);

    /**
     * Blocks until this runner may know something new about the job, or {@code maxWait} has
     * passed. Runners whose jobs run in this process return as soon as the job finished, so a
     * watch sees it at once; the default just waits.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    default void awaitChange(RunHandle handle, Duration maxWait) throws InterruptedException {
        Thread.sleep(Math.max(0, maxWait.toMillis()));
    }

    /**
     * Checks that the engine answers, for the worker's health endpoint: returns a few details of
     * what it found (where the engine is, what it said; nothing secret) or throws with the reason
     * it does not answer. Read-only and bounded in time (the runner's request timeout): it may be
     * called every few seconds. The default asks nothing and answers at once.
     *
     * @throws Exception when the engine does not answer, or answers that it cannot take jobs
     */
    default Map<String, Object> checkEngine() throws Exception {
        return Map.of();
    }

    /** The engine's last words about the job, e.g. the tail of its log, when it has any. */
    Optional<String> diagnostics(RunHandle handle);

    /**
     * Whether this engine can only write to a directory on this machine. Such a runner's
     * {@code output} is always a {@code file:} directory: the job's own location when its store is
     * local, else a working directory that is uploaded to the location once the job succeeded.
     * Remote engines (the default) get the location itself and write there directly.
     */
    default boolean writesLocally() {
        return false;
    }

    /**
     * The last {@code lines} lines of the job's log, oldest first, for operators reading it while
     * the job runs or after it ended: what the engine printed, or what the runner knows of the
     * job (its query and outcome). A runner that keeps several streams of a job (stdout and
     * stderr) may return the last {@code lines} of each, each under one line that names it. Empty
     * when the runner keeps no log, or no longer has this job's. Read-only, cheap and bounded in
     * time and memory whatever the log's size: it may be called every few seconds.
     *
     * @param lines at least 1
     */
    default List<String> logTail(RunHandle handle, int lines) {
        return List.of();
    }
}
