package dev.hubble.worker.job;

import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.WatchRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A scripted engine behind the job activities: what the n-th poll of a job returns is up to the
 * test. It records what the workflow asked of it, and creates at most one remote job per job id,
 * as real runners must.
 */
final class FakeEngine implements JobActivities {

    private final TestWorkflowEnvironment env;
    volatile IntFunction<RemoteStatus> script = n -> RemoteStatus.of(RemotePhase.SUCCEEDED);
    volatile int failingSubmitAttempts;
    volatile String rejectSubmitWith;
    volatile boolean killFails;
    volatile java.util.function.LongSupplier submitDelayMillis = () -> 0;
    volatile boolean failSubmitWithoutMessage;
    final AtomicInteger cancelAttempts = new AtomicInteger();
    /** Real milliseconds between the polls of one watch. */
    volatile long pollEveryMillis = 2;

    final Map<String, Integer> remoteJobsCreated = new ConcurrentHashMap<>();
    final AtomicInteger submitAttempts = new AtomicInteger();
    final List<Long> pollTimes = new CopyOnWriteArrayList<>();
    final List<String> pollRunIds = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final AtomicInteger watches = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();

    FakeEngine(TestWorkflowEnvironment env) {
        this.env = env;
    }

    @Override
    public RunHandle submit(String jobId, JobSpec spec) {
        int attempt = submitAttempts.incrementAndGet();
        long delay = submitDelayMillis.getAsLong();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failSubmitWithoutMessage) {
            throw ApplicationFailure.newNonRetryableFailure(null, JOB_REJECTED);
        }
        if (rejectSubmitWith != null) {
            throw ApplicationFailure.newNonRetryableFailure(rejectSubmitWith, JOB_REJECTED, "LINE 1: " + spec.query());
        }
        remoteJobsCreated.putIfAbsent(jobId, 1);
        if (attempt <= failingSubmitAttempts) {
            // The remote job was created but the answer was lost: the retry must find it.
            throw new IllegalStateException("connection reset after submit");
        }
        return new RunHandle(spec.driver(), "remote-" + jobId, Map.of());
    }

    /** One poll: what the script says for the next poll number. */
    RemoteStatus poll(RunHandle handle) {
        pollTimes.add(env.currentTimeMillis());
        pollRunIds.add(Activity.getExecutionContext().getInfo().getRunId());
        return script.apply(polls.incrementAndGet());
    }

    @Override
    public RemoteStatus watch(RunHandle handle, WatchRequest request) {
        watches.incrementAndGet();
        return FakeWatch.watch(() -> poll(handle), request, pollEveryMillis);
    }

    @Override
    public void cancel(RunHandle handle) {
        cancelAttempts.incrementAndGet();
        if (killFails) {
            throw new IllegalStateException("the engine does not answer");
        }
        cancelled.add(handle.remoteId());
    }

    @Override
    public String diagnostics(RunHandle handle) {
        return "engine log tail";
    }

    @Override
    public JobResult collectResult(String jobId, JobSpec spec) {
        return new JobResult(spec.format(), List.of(new ResultFile("result.csv", 12)));
    }

    List<Long> pollGapsMillis() {
        List<Long> gaps = new ArrayList<>();
        List<Long> times = Collections.unmodifiableList(pollTimes);
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }
}
