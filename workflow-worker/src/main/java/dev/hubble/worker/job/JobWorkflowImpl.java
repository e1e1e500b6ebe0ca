package dev.hubble.worker.job;

import dev.hubble.core.gate.PermitRequest;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobProgress;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.ProgressReport;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.worker.ActivityStubs;
import dev.hubble.worker.gate.GatePermit;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.springframework.lang.Nullable;

/**
 * One job from acceptance to its final state: QUEUED, a permit from its driver's gate, SUBMITTED,
 * RUNNING, then SUCCEEDED, FAILED, CANCELLED or TIMED_OUT.
 *
 * <p><b>Waiting.</b> A submitted job is watched by one long activity ({@link JobActivities#watch})
 * that polls the engine at a growing interval and returns only when the job's phase changed, so
 * a job polled a thousand times has a handful of events in its history. Executors push their
 * progress ({@link #reportProgress}, and {@link #reportError}): a push starts a new watch, whose
 * first poll is immediate and whose interval starts again from its initial value; the engine's
 * answer stays the truth. After {@code maxPollsPerRun} watches, or when Temporal suggests it, the
 * run continues as new. The first two looks at a job just submitted are local activities of at
 * most the driver's {@code quick-look} each, so a job done within them (a quick query on a local
 * engine) finishes in the workflow task that submitted it: submitted, done, result listed,
 * permit back and final record, without a round trip through the server. A run ends in a task of
 * its own ({@link #settle}), so a task that ran the job's steps is never run again with other
 * events.
 *
 * <p><b>Cancel and timeout always land.</b> The workflow never cancels a timer or an activity
 * (the Temporal test server wedges a run whose task cancels a timer that fired meanwhile, and
 * refuses to cancel an activity that completed meanwhile). The deadline is one timer per run that
 * is left to fire; watches are abandoned, never cancelled; every wait is a condition that also
 * looks at the cancel request and the deadline. A cancel that arrives as the run would continue
 * as new is taken before it. A cancel comes as Temporal's cancel request, as the {@link
 * #requestCancel} signal, or both ({@link dev.hubble.core.temporal.JobCancellation}); the first
 * one seen counts. On a cancel or a timeout the remote job is killed, bounded by the
 * driver's kill timeout: the permit goes back only once the engine confirmed the kill or that
 * time has passed (so an engine that does not answer never has more jobs than its concurrency
 * for longer than that), and the job then ends with an error that says the kill was not
 * confirmed.
 *
 * <p><b>Recording.</b> Every transition goes to the {@link TransitionRecorder}, which stores it at
 * once and sends its status event in order, while the job carries on; the workflow ends once all
 * are recorded.
 *
 * <p>How this code may change once runs of it are in flight: {@code docs/workflow-changes.md}.
 */
public final class JobWorkflowImpl implements JobWorkflow {

    private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

    private final JobWorkflowSettings configured;
    private final GatePermit permit = new GatePermit();
    private final JobActivities calls = ActivityStubs.jobCalls();
    private final JobActivities results = ActivityStubs.jobResults();
    // Built once the run knows its settings.
    private @Nullable JobActivities kills;
    private @Nullable JobActivities watches;
    private @Nullable JobActivities quickLooks;

    private @Nullable JobWorkflowSettings settings;
    private @Nullable JobRecord record;
    private @Nullable RunHandle handle;
    private Instant deadline = Instant.EPOCH;
    private long watchCount;
    private @Nullable JobError reportedError;
    private boolean pushed;
    private boolean cancelRequested;
    private @Nullable TransitionRecorder recorder;
    private @Nullable Promise<Void> deadlineTimer;

    public JobWorkflowImpl(JobWorkflowSettings settings) {
        this.configured = settings;
    }

    @Override
    public JobRecord run(JobWorkflowInput input) {
        settings = Workflow.sideEffect(JobWorkflowSettings.class, () -> configured);
        kills = ActivityStubs.jobKills(settings.killTimeout());
        watches = ActivityStubs.jobWatches(settings.watchWindow());
        quickLooks = ActivityStubs.jobQuickLooks(min(settings.quickLook(), settings.watchWindow()));
        record = input.record();
        JobProgress progress = input.progress();
        if (progress == null) {
            deadline = record.createdAt().plus(record.spec().timeout());
        } else {
            handle = progress.handle();
            deadline = progress.deadline();
            watchCount = progress.polls();
            if (reportedError == null) {
                reportedError = progress.reportedError();
            }
        }
        recorder = new TransitionRecorder(progress == null ? List.of() : progress.unrecorded());
        recorder.start();
        if (record.state().isTerminal()) {
            recorder.awaitDone();
            settle();
            return record;
        }
        startDeadlineTimer();
        if (progress != null && progress.permitHeld()) {
            permit.resumeHolding(settings.gateFor(record.spec().driver()), record.jobId());
        }
        JobRecord last = lifecycle();
        recorder.awaitDone();
        permit.awaitReleased();
        settle();
        return last;
    }

    /**
     * Ends the workflow task in which the job's last steps ran before the run ends, so that the
     * task that ends it holds nothing but that. The server refuses to end a run whose task
     * started before a new event (a cancel request, a signal, the deadline) arrived, and the task
     * is then run again from its history: steps that ran in it but are not in the history yet
     * (local activities: a quick look, a stored transition) would run again and might decide
     * otherwise, after the first decision was already stored and sent.
     */
    private void settle() {
        Workflow.newDetachedCancellationScope(() -> Workflow.sleep(Duration.ofMillis(1)))
                .run();
    }

    private JobRecord lifecycle() {
        int looksLeft = 0;
        if (handle == null) {
            record(record.recordedAgain(now()));
            if (!admitted() || !submitted()) {
                return record;
            }
            looksLeft = JobLifecycle.quickLooks(settings.quickLook());
        }
        RemotePhase known = JobLifecycle.knownAtStart(record.state());
        long watchesThisRun = 0;
        while (true) {
            boolean quick = looksLeft-- > 0;
            Promise<RemoteStatus> watch = quick ? startQuickLook(known) : startWatch(known);
            pushed = false;
            awaitUnlessStopping(() -> watch.isCompleted() || pushed);
            if (stopping() != null) {
                return stop();
            }
            if (!watch.isCompleted()) {
                continue; // a push: watch again, polling at once
            }
            RemoteStatus status = watchResult(watch);
            watchCount++;
            if (quick && status != null && status.phase() == RemotePhase.FAILED) {
                // The job may have reported its error just before it ended: that signal waits for
                // the next workflow task, and the job's own words win over the engine's.
                settle();
            }
            if (status != null) {
                record = record.withRemote(status.details()); // recorded with the next transition
            }
            if (status != null) {
                JobRecord finished = act(
                        JobLifecycle.onPhase(
                                record.state(), known, status, handle.remoteId(), settings.maxNotFoundPolls()),
                        status);
                if (finished != null) {
                    return finished;
                }
                known = JobLifecycle.knownAfter(known, status);
            }
            if (quick) {
                continue; // quick looks do not count: they leave a marker each, and only in this run
            }
            if (JobLifecycle.continuesAsNew(
                    ++watchesThisRun,
                    settings.maxPollsPerRun(),
                    Workflow.getInfo().isContinueAsNewSuggested())) {
                settle();
                // Events of this task (a cancel among them) have been applied: take a cancel now,
                // or the SDK would close the run as cancelled with no kill and no final record.
                if (stopping() != null) {
                    return stop();
                }
                log.info("Job {} continues as new after {} watches", record.jobId(), watchCount);
                Workflow.continueAsNew(new JobWorkflowInput(record, progress()));
            }
        }
    }

    /** Waits for a permit of the driver's gate; false when the job ended instead. */
    private boolean admitted() {
        PermitRequest request = new PermitRequest(
                record.jobId(), record.spec().priority(), now(), record.spec().source(), record.createdAt());
        boolean granted;
        try {
            granted = permit.acquireUnless(settings.gateFor(record.spec().driver()), request, () -> stopping() != null);
        } catch (ActivityFailure failure) {
            finish(
                    JobState.FAILED,
                    new JobError(
                            "the admission gate of driver " + record.spec().driver() + " could not be reached",
                            JobFailures.messageOf(failure)),
                    null);
            return false;
        }
        if (!granted) {
            stop();
            return false;
        }
        return true;
    }

    /** Submits the job; false when it could not be submitted, or the job ended meanwhile. */
    private boolean submitted() {
        try {
            handle = detached(() -> calls.submit(record.jobId(), record.spec()));
        } catch (ActivityFailure failure) {
            finish(JobState.FAILED, JobFailures.errorOf(failure, "the job could not be submitted"), null);
            return false;
        }
        record(record.moveTo(JobState.SUBMITTED, now(), null, null));
        if (stopping() != null) {
            stop();
            return false;
        }
        return true;
    }

    /** Carries out what the lifecycle decided about {@code status}; the final record when the job finished, else null. */
    private @Nullable JobRecord act(JobLifecycle.Step step, RemoteStatus status) {
        switch (step.action()) {
            case MOVE -> record(record.moveTo(step.state(), now(), null, null));
            case COLLECT_RESULT -> {
                JobResult result;
                try {
                    result = detached(() -> results.collectResult(record.jobId(), record.spec()));
                } catch (ActivityFailure failure) {
                    return finish(
                            JobState.FAILED,
                            JobFailures.errorOf(failure, "the job's result could not be listed"),
                            null);
                }
                return finish(JobState.SUCCEEDED, null, result);
            }
            case FAIL -> {
                String diagnostics = JobLifecycle.needsDiagnostics(reportedError) ? diagnostics() : null;
                return finish(
                        JobState.FAILED, JobLifecycle.failureError(reportedError, status.message(), diagnostics), null);
            }
            case FINISH -> {
                return finish(step.state(), step.error(), null);
            }
            case KEEP_WATCHING -> {}
        }
        return null;
    }

    /**
     * Waits until {@code condition} holds or the job must stop. A cancel request ends the wait
     * like any other condition (Workflow.await throws it; it is taken here, not thrown on).
     */
    private void awaitUnlessStopping(Supplier<Boolean> condition) {
        try {
            Workflow.await(() -> condition.get() || stopping() != null);
        } catch (CanceledFailure cancelled) {
            // stopping() now says CANCELLED
        }
    }

    /** Why the job must stop now: CANCELLED, TIMED_OUT, or null to carry on. */
    private @Nullable JobState stopping() {
        return JobLifecycle.stopping(
                cancelRequested || CancellationScope.current().isCancelRequested(),
                (deadlineTimer != null && deadlineTimer.isCompleted()) || !now().isBefore(deadline));
    }

    /** Ends a job that was cancelled or timed out: kills its remote job (bounded), then finishes. */
    private JobRecord stop() {
        JobState state = stopping() == JobState.CANCELLED ? JobState.CANCELLED : JobState.TIMED_OUT;
        boolean submitted = handle != null || record.state() != JobState.QUEUED;
        String unconfirmed = kill();
        return finish(
                state,
                JobLifecycle.stopError(state, submitted, record.spec().timeout(), settings.killTimeout(), unconfirmed),
                null);
    }

    /** Kills the remote job; null once the engine confirmed it (or there is none), else why it could not. */
    private @Nullable String kill() {
        if (handle == null) {
            return null;
        }
        try {
            detached(() -> {
                kills.cancel(handle);
                return null;
            });
            return null;
        } catch (ActivityFailure failure) {
            log.warn("The kill of job {} was not confirmed: {}", record.jobId(), JobFailures.messageOf(failure));
            return JobFailures.messageOf(failure);
        }
    }

    /** The engine's last words about the failed job, or null when it has none or cannot say. */
    private @Nullable String diagnostics() {
        try {
            return detached(() -> calls.diagnostics(handle));
        } catch (ActivityFailure failure) {
            return null;
        }
    }

    private JobRecord finish(JobState state, @Nullable JobError error, @Nullable JobResult result) {
        // The remote job has ended or been killed: its permit goes back while the record is stored.
        permit.releaseInBackground();
        record(record.moveTo(state, now(), error, result));
        return record;
    }

    private void record(JobRecord next) {
        record = next;
        recorder.add(next);
    }

    /**
     * Starts a watch of the remote job, abandoned rather than cancelled when the workflow stops
     * waiting for it.
     */
    private Promise<RemoteStatus> startWatch(RemotePhase known) {
        return detached(() -> Async.function(watches::watch, handle, settings.watch(known)));
    }

    /**
     * Starts a quick look at a job just submitted: a watch as a local activity, at most the
     * driver's quick look long, in the workflow task that submitted the job.
     */
    private Promise<RemoteStatus> startQuickLook(RemotePhase known) {
        Duration window = min(settings.quickLook(), settings.watchWindow());
        return detached(() ->
                Async.function(quickLooks::watch, handle, settings.watch(known).withWindow(window)));
    }

    /** What a completed watch saw; null when it failed (the next watch looks again). */
    private @Nullable RemoteStatus watchResult(Promise<RemoteStatus> watch) {
        try {
            return watch.get();
        } catch (ActivityFailure failure) {
            if (JobFailures.isRejection(failure)) {
                return new RemoteStatus(RemotePhase.FAILED, JobFailures.messageOf(failure));
            }
            log.warn("Watching job {} failed, watching again: {}", record.jobId(), JobFailures.messageOf(failure));
            return null;
        }
    }

    /** One timer per run, at the job's deadline; never cancelled, so it is safe on every server. */
    private void startDeadlineTimer() {
        Duration left = Duration.between(now(), deadline);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> deadlineTimer = Workflow.newTimer(left))
                .run();
    }

    @Override
    public void reportError(JobError error) {
        if (record != null && record.state().isTerminal()) {
            return;
        }
        if (reportedError == null) {
            reportedError = error;
        }
        pushed = true;
    }

    @Override
    public void reportProgress(ProgressReport report) {
        if (record != null && record.state().isTerminal()) {
            return;
        }
        pushed = true;
    }

    @Override
    public void requestCancel() {
        cancelRequested = true;
    }

    @Override
    public void permitGranted(Instant requestedAt) {
        permit.granted(requestedAt);
    }

    @Override
    public JobRecord status() {
        return record;
    }

    private JobProgress progress() {
        return new JobProgress(handle, deadline, watchCount, reportedError, permit.isHeld(), recorder.pending());
    }

    private static <T> T detached(Supplier<T> action) {
        @SuppressWarnings("unchecked")
        T[] result = (T[]) new Object[1];
        Workflow.newDetachedCancellationScope(() -> result[0] = action.get()).run();
        return result[0];
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
