package dev.hubble.activities.job;

import dev.hubble.activities.results.ResultStore;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import io.temporal.failure.ApplicationFailure;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.lang.Nullable;

/**
 * Adapts the drivers' {@link JobRunner}s to Temporal: picks the job's runner, and turns a
 * {@link JobRejectedException} into a final {@link JobActivities#JOB_REJECTED} failure while
 * letting every other exception be retried.
 */
public final class JobActivitiesImpl implements JobActivities {

    private static final Logger log = LoggerFactory.getLogger(JobActivitiesImpl.class);

    private final Map<String, JobRunner> runners;
    private final ResultStore results;

    public JobActivitiesImpl(Collection<JobRunner> runners, ResultStore results) {
        this.runners = runners.stream().collect(Collectors.toUnmodifiableMap(JobRunner::driver, Function.identity()));
        this.results = results;
    }

    @Override
    public RunHandle submit(String jobId, JobSpec spec) {
        return withJob(jobId, () -> {
            RunHandle handle = runner(spec.driver()).submit(jobId, spec, results.output(jobId));
            log.info("Submitted job to {} as {}", spec.driver(), handle.remoteId());
            return handle;
        });
    }

    @Override
    public RemoteStatus poll(RunHandle handle) {
        return withJob(null, () -> runner(handle.driver()).poll(handle));
    }

    @Override
    public void cancel(RunHandle handle) {
        withJob(null, () -> {
            runner(handle.driver()).cancel(handle);
            log.info("Cancelled {} job {}", handle.driver(), handle.remoteId());
            return null;
        });
    }

    @Override
    public @Nullable String diagnostics(RunHandle handle) {
        return withJob(null, () -> runner(handle.driver()).diagnostics(handle).orElse(null));
    }

    @Override
    public JobResult collectResult(String jobId, JobSpec spec) {
        return new JobResult(spec.format(), results.list(jobId));
    }

    private JobRunner runner(String driver) {
        JobRunner runner = runners.get(driver);
        if (runner == null) {
            // A job reached a worker that has no runner for its driver: a deployment error that
            // retrying on the same worker cannot fix, but another worker might, so it is retried.
            throw new IllegalStateException("no runner for driver " + driver + " in this worker; runners: " + runners.keySet());
        }
        return runner;
    }

    private static <T> T withJob(@Nullable String jobId, Supplier<T> action) {
        if (jobId != null) {
            MDC.put("jobId", jobId);
        }
        try {
            return action.get();
        } catch (JobRejectedException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), JOB_REJECTED,
                    e.detail() == null ? "" : e.detail());
        } finally {
            MDC.remove("jobId");
        }
    }
}
