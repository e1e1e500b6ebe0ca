package dev.hubble.worker.job;

import dev.hubble.core.gate.PermitRequest;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobProgress;
import dev.hubble.core.temporal.JobStateActivities;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.worker.gate.GatePermit;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.springframework.lang.Nullable;

/**
 * The job lifecycle as it was before waits became watches (a durable timer and a poll activity
 * per poll). Kept, unchanged, only so that runs started by that version finish as they began and
 * their histories replay; {@link JobWorkflowImpl} hands such runs to it. A run of this version
 * that continues as new continues with the current lifecycle.
 */
final class LegacyJobRun {

    private static final Logger log = Workflow.getLogger(LegacyJobRun.class);

    /** The change that moved recording transitions off the job's path, onto a recorder thread. */
    private static final String BACKGROUND_RECORDING = "background-recording";

    /** The change that put admission through the driver's gate before submission. */
    private static final String ADMISSION_GATE = "admission-gate";

    private static final RetryOptions TRANSIENT_RETRIES = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setDoNotRetry(JobActivities.JOB_REJECTED)
            .build();

    private final JobWorkflowSettings configured;
    private final JobActivities submissions;
    private final JobActivities engine;
    private final JobStateActivities states;
    private final GatePermit permit;

    private @Nullable JobRecord record;
    private @Nullable RunHandle handle;
    private Instant deadline = Instant.EPOCH;
    private Duration interval = Duration.ZERO;
    private long polls;
    private int notFoundStreak;
    private @Nullable JobError reportedError;
    private boolean wake;
    private boolean recordInBackground;
    /** Transitions not recorded yet, oldest first; the head is being recorded. */
    private final List<JobRecord> unrecorded = new ArrayList<>();

    LegacyJobRun(JobWorkflowSettings settings, GatePermit permit) {
        this.configured = settings;
        this.permit = permit;
        // Submission is bounded: a job whose engine stays unreachable fails with the reason.
        this.submissions = Workflow.newActivityStub(
                JobActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(2))
                        .setScheduleToCloseTimeout(Duration.ofMinutes(15))
                        .setRetryOptions(TRANSIENT_RETRIES)
                        .build());
        // Polls, cancels and listings give up after a while; the loop then looks again later.
        this.engine = Workflow.newActivityStub(
                JobActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                        .setRetryOptions(TRANSIENT_RETRIES)
                        .build());
        // Recording never gives up: a transition must reach its readers, however long the store is down.
        this.states = Workflow.newActivityStub(
                JobStateActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2.0)
                                .setMaximumInterval(Duration.ofSeconds(30))
                                .build())
                        .build());
    }

    JobRecord run(JobWorkflowInput input) {
        JobWorkflowSettings settings = Workflow.sideEffect(JobWorkflowSettings.class, () -> configured);
        recordInBackground = Workflow.getVersion(BACKGROUND_RECORDING, Workflow.DEFAULT_VERSION, 1) >= 1;
        record = input.record();
        restore(input.progress(), settings);
        if (recordInBackground) {
            startRecorder();
        }
        if (record.state().isTerminal()) {
            return allRecorded(record);
        }
        try {
            return allRecorded(runJob(input, settings));
        } catch (CanceledFailure cancelled) {
            detached(() -> {
                killRemote();
                finish(JobState.CANCELLED, JobError.of("cancelled on request"), null);
                return allRecorded(record);
            });
            throw cancelled;
        }
    }

    private JobRecord runJob(JobWorkflowInput input, JobWorkflowSettings settings) {
        if (handle == null) {
            record(record.recordedAgain(now()));
            if (Workflow.getVersion(ADMISSION_GATE, Workflow.DEFAULT_VERSION, 1) >= 1 && !admit(settings)) {
                return record;
            }
            if (!submit()) {
                return record;
            }
        } else if (input.progress() != null && input.progress().permitHeld()) {
            permit.resumeHolding(settings.gateFor(record.spec().driver()), record.jobId());
        }
        return pollUntilFinished(settings);
    }

    void reportError(JobError error) {
        if (record != null && record.state().isTerminal()) {
            return;
        }
        if (reportedError == null) {
            reportedError = error;
        }
        wake = true;
    }

    @Nullable
    JobRecord status() {
        return record;
    }

    private void restore(@Nullable JobProgress progress, JobWorkflowSettings settings) {
        if (progress == null) {
            deadline = record.createdAt().plus(record.spec().timeout());
            interval = settings.pollInitial();
            return;
        }
        handle = progress.handle();
        unrecorded.addAll(progress.unrecorded());
        deadline = progress.deadline();
        interval = progress.pollInterval();
        polls = progress.polls();
        notFoundStreak = progress.notFoundStreak();
        if (reportedError == null) {
            reportedError = progress.reportedError();
        }
    }

    /**
     * Waits for a permit of the driver's gate; false when the job finished instead: its timeout
     * ran out while it waited, or the gate could not be reached.
     */
    private boolean admit(JobWorkflowSettings settings) {
        PermitRequest request = new PermitRequest(record.jobId(), record.spec().priority(), now());
        boolean granted;
        try {
            granted = permit.acquire(
                    settings.gateFor(record.spec().driver()), request, Duration.between(now(), deadline));
        } catch (ActivityFailure failure) {
            finish(
                    JobState.FAILED,
                    new JobError(
                            "the admission gate of driver " + record.spec().driver() + " could not be reached",
                            messageOf(failure)),
                    null);
            return false;
        }
        if (!granted) {
            finish(
                    JobState.TIMED_OUT,
                    JobError.of("the job waited for its turn longer than its timeout of "
                            + record.spec().timeout()),
                    null);
            return false;
        }
        return true;
    }

    /** Submits the job; false when it failed to submit and the workflow is finished. */
    private boolean submit() {
        try {
            handle = detached(() -> submissions.submit(record.jobId(), record.spec()));
        } catch (ActivityFailure failure) {
            finish(JobState.FAILED, errorOf(failure, "the job could not be submitted"), null);
            return false;
        }
        record(record.moveTo(JobState.SUBMITTED, now(), null, null));
        return true;
    }

    private JobRecord pollUntilFinished(JobWorkflowSettings settings) {
        int pollsThisRun = 0;
        while (true) {
            if (!now().isBefore(deadline)) {
                return timeOut();
            }
            RemoteStatus status = poll();
            polls++;
            pollsThisRun++;
            if (status != null) {
                JobRecord finished = onStatus(status, settings);
                if (finished != null) {
                    return finished;
                }
            }
            if (pollsThisRun >= settings.maxPollsPerRun() || Workflow.getInfo().isContinueAsNewSuggested()) {
                log.info("Job {} continues as new after {} polls", record.jobId(), polls);
                Workflow.continueAsNew(new JobWorkflowInput(record, progress()));
            }
            Duration untilDeadline = Duration.between(now(), deadline);
            Duration wait = interval.compareTo(untilDeadline) < 0 ? interval : untilDeadline;
            if (!wait.isNegative() && !wait.isZero()) {
                Workflow.await(wait, () -> wake);
            }
            wake = false;
            interval = settings.nextInterval(interval);
        }
    }

    /** The job's remote status, or null when the engine could not be asked this time. */
    private @Nullable RemoteStatus poll() {
        try {
            return detached(() -> engine.poll(handle));
        } catch (ActivityFailure failure) {
            if (isRejection(failure)) {
                return new RemoteStatus(dev.hubble.core.temporal.RemotePhase.FAILED, messageOf(failure));
            }
            log.warn("Polling job {} failed, looking again later: {}", record.jobId(), messageOf(failure));
            return null;
        }
    }

    /** Acts on one poll; returns the final record when the job finished, else null. */
    private @Nullable JobRecord onStatus(RemoteStatus status, JobWorkflowSettings settings) {
        switch (status.phase()) {
            case PENDING -> notFoundStreak = 0;
            case RUNNING -> {
                notFoundStreak = 0;
                if (record.state() == JobState.SUBMITTED) {
                    record(record.moveTo(JobState.RUNNING, now(), null, null));
                }
            }
            case SUCCEEDED -> {
                JobResult result;
                try {
                    result = detached(() -> engine.collectResult(record.jobId(), record.spec()));
                } catch (ActivityFailure failure) {
                    return finish(JobState.FAILED, errorOf(failure, "the job's result could not be listed"), null);
                }
                return finish(JobState.SUCCEEDED, null, result);
            }
            case FAILED -> {
                return finish(JobState.FAILED, failureError(status), null);
            }
            case CANCELLED -> {
                return finish(
                        JobState.CANCELLED,
                        JobError.of(status.message() == null ? "cancelled at the engine" : status.message()),
                        null);
            }
            case NOT_FOUND -> {
                if (++notFoundStreak >= settings.maxNotFoundPolls()) {
                    return finish(
                            JobState.FAILED,
                            JobError.of("the engine no longer knows job " + handle.remoteId() + " after "
                                    + notFoundStreak + " polls"),
                            null);
                }
            }
        }
        return null;
    }

    private JobRecord timeOut() {
        return detached(() -> {
            killRemote();
            return finish(
                    JobState.TIMED_OUT,
                    JobError.of("the job ran longer than its timeout of "
                            + record.spec().timeout()),
                    null);
        });
    }

    /** The error of a failed job: what the job reported about itself wins over the engine's words. */
    private JobError failureError(RemoteStatus status) {
        if (reportedError != null) {
            return reportedError;
        }
        String detail;
        try {
            detail = detached(() -> engine.diagnostics(handle));
        } catch (ActivityFailure failure) {
            detail = null;
        }
        return new JobError(status.message() == null ? "the job failed" : status.message(), detail);
    }

    private JobError errorOf(ActivityFailure failure, String fallback) {
        if (reportedError != null) {
            return reportedError;
        }
        if (failure.getCause() instanceof ApplicationFailure application) {
            String detail = application.getDetails().getSize() == 0
                    ? null
                    : application.getDetails().get(String.class);
            return new JobError(application.getOriginalMessage(), detail == null || detail.isEmpty() ? null : detail);
        }
        return new JobError(fallback, messageOf(failure));
    }

    private void killRemote() {
        if (handle == null) {
            return;
        }
        try {
            engine.cancel(handle);
        } catch (ActivityFailure failure) {
            log.warn("Could not kill the remote job of {}: {}", record.jobId(), messageOf(failure));
        }
    }

    private JobRecord finish(JobState state, @Nullable JobError error, @Nullable JobResult result) {
        // The remote job has ended or been killed: its permit goes back before the record is stored,
        // so a slow store never holds up the next job of the driver.
        permit.release();
        record(record.moveTo(state, now(), error, result));
        return record;
    }

    /**
     * Makes {@code next} the job's record and has it recorded. Jobs started since background
     * recording hand it to the recorder and carry on, so a store or broker that is down never
     * holds the job up; older jobs record it here and wait. Either way a cancel cannot interrupt
     * the recording.
     */
    private void record(JobRecord next) {
        record = next;
        if (recordInBackground) {
            unrecorded.add(next);
            return;
        }
        detached(() -> {
            states.record(next);
            return null;
        });
    }

    /**
     * Starts the recorder: one workflow thread, outside every cancellation scope, that records
     * the transitions in the order they happened, each after the one before has been recorded.
     */
    private void startRecorder() {
        Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> {
                    while (true) {
                        Workflow.await(() -> !unrecorded.isEmpty());
                        try {
                            states.record(unrecorded.get(0));
                            unrecorded.remove(0);
                        } catch (ActivityFailure failure) {
                            // Retries are unlimited, so this is not expected; the head is recorded again.
                            log.warn(
                                    "Recording a transition of job {} failed, trying again: {}",
                                    record.jobId(),
                                    messageOf(failure));
                        }
                    }
                }))
                .run();
    }

    /** Waits until every transition has been recorded, then returns {@code result}. */
    private JobRecord allRecorded(JobRecord result) {
        if (recordInBackground) {
            detached(() -> {
                Workflow.await(unrecorded::isEmpty);
                return null;
            });
        }
        return result;
    }

    private JobProgress progress() {
        return new JobProgress(
                handle,
                deadline,
                interval,
                polls,
                notFoundStreak,
                reportedError,
                permit.isHeld(),
                List.copyOf(unrecorded));
    }

    private static <T> T detached(Supplier<T> action) {
        @SuppressWarnings("unchecked")
        T[] result = (T[]) new Object[1];
        Workflow.newDetachedCancellationScope(() -> result[0] = action.get()).run();
        return result[0];
    }

    private static boolean isRejection(ActivityFailure failure) {
        return failure.getCause() instanceof ApplicationFailure application
                && JobActivities.JOB_REJECTED.equals(application.getType());
    }

    private static String messageOf(ActivityFailure failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        return cause instanceof ApplicationFailure application ? application.getOriginalMessage() : cause.getMessage();
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
