package dev.hubble.activities.log;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.RunHandle;
import io.temporal.failure.ApplicationFailure;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads a job's log tail from its driver's runner. Thread-safe. */
public final class JobLogActivitiesImpl implements JobLogActivities {

    /** Failure type when this worker has no runner for the handle's driver; not retried here. */
    public static final String NO_RUNNER = "NoRunner";

    private final Map<String, JobRunner> runners;

    public JobLogActivitiesImpl(Collection<JobRunner> runners) {
        this.runners = runners.stream().collect(Collectors.toUnmodifiableMap(JobRunner::driver, Function.identity()));
    }

    @Override
    public List<String> tail(RunHandle handle, int lines) {
        JobRunner runner = runners.get(handle.driver());
        if (runner == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "no runner for driver " + handle.driver() + " in this worker", NO_RUNNER);
        }
        return List.copyOf(runner.logTail(handle, Math.max(1, lines)));
    }
}
