package dev.hubble.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.worker.job.JobLifecycle.Action;
import dev.hubble.worker.job.JobLifecycle.Step;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Step on(JobState state, RemotePhase known, RemotePhase seen) {
        return JobLifecycle.onPhase(state, known, RemoteStatus.of(seen), "q-7", 5);
    }

    @Test
    void aPhaseTheWorkflowAlreadyKnewChangesNothing() {
        for (JobState state : EnumSet.of(JobState.SUBMITTED, JobState.RUNNING)) {
            for (RemotePhase phase : RemotePhase.values()) {
                assertThat(on(state, phase, phase))
                        .as("%s, %s again", state, phase)
                        .isEqualTo(Step.KEEP_WATCHING);
            }
        }
    }

    @Test
    void runningIsRecordedOnceFromSubmitted() {
        assertThat(on(JobState.SUBMITTED, RemotePhase.PENDING, RemotePhase.RUNNING))
                .isEqualTo(new Step(Action.MOVE, JobState.RUNNING, null));
        assertThat(on(JobState.RUNNING, RemotePhase.PENDING, RemotePhase.RUNNING))
                .as("back to running after a requeue: already recorded")
                .isEqualTo(Step.KEEP_WATCHING);
    }

    @Test
    void aRequeueAtTheEngineRecordsNothing() {
        assertThat(on(JobState.RUNNING, RemotePhase.RUNNING, RemotePhase.PENDING))
                .isEqualTo(Step.KEEP_WATCHING);
    }

    @Test
    void successCollectsTheResultAndFailureLooksForTheRightError() {
        for (JobState state : EnumSet.of(JobState.SUBMITTED, JobState.RUNNING)) {
            assertThat(on(state, RemotePhase.RUNNING, RemotePhase.SUCCEEDED).action())
                    .isEqualTo(Action.COLLECT_RESULT);
            assertThat(on(state, RemotePhase.RUNNING, RemotePhase.FAILED).action())
                    .isEqualTo(Action.FAIL);
        }
    }

    @Test
    void aJobCancelledAtTheEngineOrLostByItFinishesWithTheReason() {
        assertThat(JobLifecycle.onPhase(
                        JobState.RUNNING,
                        RemotePhase.RUNNING,
                        new RemoteStatus(RemotePhase.CANCELLED, "terminated by an operator"),
                        "q-7",
                        5))
                .isEqualTo(Step.finish(JobState.CANCELLED, JobError.of("terminated by an operator")));
        assertThat(on(JobState.RUNNING, RemotePhase.RUNNING, RemotePhase.CANCELLED))
                .isEqualTo(Step.finish(JobState.CANCELLED, JobError.of("cancelled at the engine")));
        assertThat(on(JobState.SUBMITTED, RemotePhase.PENDING, RemotePhase.NOT_FOUND))
                .isEqualTo(
                        Step.finish(JobState.FAILED, JobError.of("the engine no longer knows job q-7 after 5 polls")));
    }

    @Test
    void aFinishedJobActsOnNothing() {
        for (JobState state : JobState.values()) {
            if (!state.isTerminal()) {
                continue;
            }
            for (RemotePhase phase : RemotePhase.values()) {
                assertThat(on(state, RemotePhase.RUNNING, phase)).isEqualTo(Step.KEEP_WATCHING);
            }
        }
    }

    @Test
    void theNextWatchStartsFromWhatTheEngineSaidUnlessItLostTheJob() {
        assertThat(JobLifecycle.knownAfter(RemotePhase.PENDING, RemoteStatus.of(RemotePhase.RUNNING)))
                .isEqualTo(RemotePhase.RUNNING);
        assertThat(JobLifecycle.knownAfter(RemotePhase.RUNNING, RemoteStatus.of(RemotePhase.NOT_FOUND)))
                .isEqualTo(RemotePhase.RUNNING);
        assertThat(JobLifecycle.knownAtStart(JobState.RUNNING)).isEqualTo(RemotePhase.RUNNING);
        assertThat(JobLifecycle.knownAtStart(JobState.SUBMITTED)).isEqualTo(RemotePhase.PENDING);
        assertThat(JobLifecycle.knownAtStart(JobState.QUEUED)).isEqualTo(RemotePhase.PENDING);
    }

    @Test
    void aCancelWinsOverADeadlineThatPassedAtTheSameMoment() {
        assertThat(JobLifecycle.stopping(true, true)).isEqualTo(JobState.CANCELLED);
        assertThat(JobLifecycle.stopping(true, false)).isEqualTo(JobState.CANCELLED);
        assertThat(JobLifecycle.stopping(false, true)).isEqualTo(JobState.TIMED_OUT);
        assertThat(JobLifecycle.stopping(false, false)).isNull();
    }

    @Test
    void aStoppedJobSaysWhyAndWhetherTheKillWasConfirmed() {
        assertThat(JobLifecycle.stopError(JobState.CANCELLED, true, HOUR, MINUTE, null))
                .isEqualTo(JobError.of("cancelled on request"));
        assertThat(JobLifecycle.stopError(JobState.CANCELLED, false, HOUR, MINUTE, null))
                .isEqualTo(JobError.of("cancelled on request"));
        assertThat(JobLifecycle.stopError(JobState.TIMED_OUT, false, HOUR, MINUTE, null))
                .isEqualTo(JobError.of("the job waited for its turn longer than its timeout of PT1H"));
        assertThat(JobLifecycle.stopError(JobState.TIMED_OUT, true, HOUR, MINUTE, null))
                .isEqualTo(JobError.of("the job ran longer than its timeout of PT1H"));
        assertThat(JobLifecycle.stopError(JobState.CANCELLED, true, HOUR, MINUTE, "Livy answered 503"))
                .isEqualTo(new JobError(
                        "cancelled on request; the engine did not confirm the kill within PT1M", "Livy answered 503"));
    }

    @Test
    void theJobsOwnWordsWinOverTheEngines() {
        JobError reported = new JobError("Table events does not exist", "line 3");

        assertThat(JobLifecycle.needsDiagnostics(reported)).isFalse();
        assertThat(JobLifecycle.failureError(reported, "the session died", "log tail"))
                .isEqualTo(reported);
        assertThat(JobLifecycle.needsDiagnostics(null)).isTrue();
        assertThat(JobLifecycle.failureError(null, "the session died", "log tail"))
                .isEqualTo(new JobError("the session died", "log tail"));
        assertThat(JobLifecycle.failureError(null, null, null)).isEqualTo(new JobError("the job failed", null));
    }

    @Test
    void aRunContinuesAsNewAfterItsWatchesOrWhenTemporalSuggestsIt() {
        assertThat(JobLifecycle.continuesAsNew(499, 500, false)).isFalse();
        assertThat(JobLifecycle.continuesAsNew(500, 500, false)).isTrue();
        assertThat(JobLifecycle.continuesAsNew(1, 500, true)).isTrue();
    }

    @Test
    void quickLooksOnlyWhenTheDriverHasThem() {
        assertThat(JobLifecycle.quickLooks(Duration.ofSeconds(1))).isEqualTo(JobLifecycle.QUICK_LOOKS_PER_JOB);
        assertThat(JobLifecycle.quickLooks(Duration.ZERO)).isZero();
    }
}
