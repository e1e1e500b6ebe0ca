package dev.hubble.worker.job;

import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import java.time.Duration;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * What a job does next, given where it is and what just happened: the decisions of the job
 * workflow, apart from the Temporal calls that carry them out ({@link JobWorkflowImpl}). Plain
 * deterministic functions of their arguments, tested over every state and event in {@code
 * JobLifecycleTest}.
 */
final class JobLifecycle {

    /**
     * How many quick looks a job just submitted gets: watches as local activities, each at most
     * the driver's {@code quick-look} long, in the workflow task that submitted it. A job done by
     * then (a quick query on a local engine) finishes without a round trip through the server; a
     * longer one costs two markers, and a cancel that arrives meanwhile waits that long.
     */
    static final int QUICK_LOOKS_PER_JOB = 2;

    private JobLifecycle() {}

    /** What the workflow does about a phase the engine reported. */
    enum Action {
        /** Store the transition to {@link Step#state}, and keep watching. */
        MOVE,
        /** List (and upload) the result, then finish SUCCEEDED, or FAILED when it cannot be listed. */
        COLLECT_RESULT,
        /** Finish in {@link Step#state} with {@link Step#error}. */
        FINISH,
        /** Finish FAILED: with the error the job reported, else the engine's words and its diagnostics. */
        FAIL,
        /** Nothing to record; keep watching. */
        KEEP_WATCHING
    }

    /**
     * One decision.
     *
     * @param action what to do
     * @param state the state to move to or finish in; null for {@link Action#KEEP_WATCHING} and
     *     the actions that decide it themselves
     * @param error the error to finish with, for {@link Action#FINISH}
     */
    record Step(
            Action action,
            @Nullable JobState state,
            @Nullable JobError error) {

        Step {
            Objects.requireNonNull(action, "action");
        }

        static final Step KEEP_WATCHING = new Step(Action.KEEP_WATCHING, null, null);

        static Step finish(JobState state, JobError error) {
            return new Step(Action.FINISH, state, error);
        }
    }

    /**
     * What to do about {@code status}, the phase a watch saw, when the job is in {@code state} and
     * its engine was last known in {@code known}.
     *
     * @param remoteId the engine's id of the job, for the error of a job it no longer knows
     * @param notFoundPolls the polls in a row that found nothing before a watch reports NOT_FOUND
     */
    static Step onPhase(JobState state, RemotePhase known, RemoteStatus status, String remoteId, int notFoundPolls) {
        if (state.isTerminal() || status.phase() == known) {
            return Step.KEEP_WATCHING;
        }
        return switch (status.phase()) {
            case RUNNING ->
                state == JobState.SUBMITTED ? new Step(Action.MOVE, JobState.RUNNING, null) : Step.KEEP_WATCHING;
            case SUCCEEDED -> new Step(Action.COLLECT_RESULT, null, null);
            case FAILED -> new Step(Action.FAIL, null, null);
            case CANCELLED ->
                Step.finish(
                        JobState.CANCELLED,
                        JobError.of(status.message() == null ? "cancelled at the engine" : status.message()));
            case NOT_FOUND ->
                Step.finish(
                        JobState.FAILED,
                        JobError.of(
                                "the engine no longer knows job " + remoteId + " after " + notFoundPolls + " polls"));
            // Back to waiting at the engine (a requeue): nothing to record.
            case PENDING -> Step.KEEP_WATCHING;
        };
    }

    /** The engine's phase the next watch starts from: a job the engine lost keeps the phase it had. */
    static RemotePhase knownAfter(RemotePhase known, RemoteStatus status) {
        return status.phase() == RemotePhase.NOT_FOUND ? known : status.phase();
    }

    /** The phase a run's first watch starts from. */
    static RemotePhase knownAtStart(JobState state) {
        return state == JobState.RUNNING ? RemotePhase.RUNNING : RemotePhase.PENDING;
    }

    /**
     * Why the job must stop now: CANCELLED when a cancel was asked for (a cancel wins over a
     * deadline that passed at the same moment), TIMED_OUT once the deadline passed, else null.
     */
    static @Nullable JobState stopping(boolean cancelRequested, boolean deadlinePassed) {
        if (cancelRequested) {
            return JobState.CANCELLED;
        }
        return deadlinePassed ? JobState.TIMED_OUT : null;
    }

    /**
     * The error a stopped job ends with.
     *
     * @param stopped {@link JobState#CANCELLED} or {@link JobState#TIMED_OUT}
     * @param submitted whether the job reached its engine; a job that timed out before is said to
     *     have waited for its turn
     * @param unconfirmed why the engine did not confirm the kill, or null once it did (or there
     *     was nothing to kill)
     */
    static JobError stopError(
            JobState stopped, boolean submitted, Duration timeout, Duration killTimeout, @Nullable String unconfirmed) {
        String why = stopped == JobState.CANCELLED
                ? "cancelled on request"
                : submitted
                        ? "the job ran longer than its timeout of " + timeout
                        : "the job waited for its turn longer than its timeout of " + timeout;
        return unconfirmed == null
                ? JobError.of(why)
                : new JobError(why + "; the engine did not confirm the kill within " + killTimeout, unconfirmed);
    }

    /** Whether a failed job needs the engine's diagnostics: only when it reported no error of its own. */
    static boolean needsDiagnostics(@Nullable JobError reported) {
        return reported == null;
    }

    /**
     * The error of a failed job: what the job reported about itself wins over the engine's words,
     * which come with the engine's diagnostics (a log tail) when it has any.
     */
    static JobError failureError(
            @Nullable JobError reported, @Nullable String engineMessage, @Nullable String diagnostics) {
        if (reported != null) {
            return reported;
        }
        return new JobError(engineMessage == null ? "the job failed" : engineMessage, diagnostics);
    }

    /** Whether the run continues as new after its {@code watchesThisRun}-th watch. */
    static boolean continuesAsNew(long watchesThisRun, int maxWatchesPerRun, boolean suggestedByTemporal) {
        return watchesThisRun >= maxWatchesPerRun || suggestedByTemporal;
    }

    /** How many quick looks a job just submitted gets. */
    static int quickLooks(Duration quickLook) {
        return quickLook.isZero() ? 0 : QUICK_LOOKS_PER_JOB;
    }
}
