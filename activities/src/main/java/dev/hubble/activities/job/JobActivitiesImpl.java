package dev.hubble.activities.job;

import dev.hubble.activities.results.ResultStore;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.WatchRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Clock clock;
    /** The newest watch of each job in this process; an older one of the same job ends early. */
    private final Map<String, Object> watches = new ConcurrentHashMap<>();

    public JobActivitiesImpl(Collection<JobRunner> runners, ResultStore results, Clock clock) {
        this.runners = runners.stream().collect(Collectors.toUnmodifiableMap(JobRunner::driver, Function.identity()));
        this.results = results;
        this.clock = clock;
    }

    public JobActivitiesImpl(Collection<JobRunner> runners, ResultStore results) {
        this(runners, results, Clock.systemUTC());
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
    public RemoteStatus watch(RunHandle handle, WatchRequest request) {
        JobRunner runner = runner(handle.driver());
        ActivityExecutionContext context = Activity.getExecutionContext();
        String jobId = context.getInfo().getWorkflowId();
        Object token = new Object();
        watches.put(jobId, token);
        MDC.put("jobId", jobId);
        try {
            return new Watch(runner, handle, request, clock, () -> context.heartbeat(null),
                    () -> watches.get(jobId) != token).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching " + handle.remoteId(), e);
        } catch (JobRejectedException e) {
            throw rejected(e);
        } finally {
            watches.remove(jobId, token);
            MDC.remove("jobId");
        }
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

    private static ApplicationFailure rejected(JobRejectedException e) {
        return ApplicationFailure.newNonRetryableFailure(e.getMessage(), JOB_REJECTED,
                e.detail() == null ? "" : e.detail());
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
            throw rejected(e);
        } finally {
            MDC.remove("jobId");
        }
    }
}
