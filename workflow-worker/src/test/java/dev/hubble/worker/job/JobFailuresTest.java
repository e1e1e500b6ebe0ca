package dev.hubble.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.job.JobError;
import dev.hubble.core.temporal.JobActivities;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** Mapping a failure to a job's error never throws, whatever the failure holds. */
class JobFailuresTest {

    @Test
    void anApplicationFailureGivesItsMessageAndDetail() {
        JobError error = JobFailures.errorOf(
                activityFailure(ApplicationFailure.newNonRetryableFailure(
                        "Parser Error: near \"selec\"", JobActivities.JOB_REJECTED, "LINE 1")),
                "fallback");

        assertThat(error).isEqualTo(new JobError("Parser Error: near \"selec\"", "LINE 1"));
    }

    @Test
    void aFailureWithoutAMessageOrDetailsFallsBackToWords() {
        JobError error = JobFailures.errorOf(
                activityFailure(ApplicationFailure.newFailure(null, "Odd")), "the job could not be submitted");

        assertThat(error.message()).isEqualTo("the job could not be submitted");
        assertThat(error.detail()).isNull();
    }

    @Test
    void detailsOfAnotherShapeAreLeftOut() {
        JobError error = JobFailures.errorOf(
                activityFailure(ApplicationFailure.newFailure("boom", "Odd", 42, java.util.Map.of("a", 1))),
                "fallback");

        assertThat(error.message()).isEqualTo("boom");
        assertThat(error.detail()).isIn("42", null);
    }

    @Test
    void anythingElseIsTheFallbackWithItsWordsAsDetail() {
        assertThat(JobFailures.errorOf(new IllegalStateException(), "fallback"))
                .isEqualTo(new JobError("fallback", "IllegalStateException"));
        assertThat(JobFailures.messageOf(null)).isEqualTo("unknown failure");
    }

    @Test
    void aVeryLongMessageIsClipped() {
        String message =
                JobFailures.messageOf(activityFailure(ApplicationFailure.newFailure("x".repeat(10_000), "Long")));

        assertThat(message).hasSizeLessThanOrEqualTo(JobFailures.MAX_MESSAGE + 1);
    }

    @Test
    void onlyAJobRejectedFailureIsARejection() {
        assertThat(JobFailures.isRejection(
                        activityFailure(ApplicationFailure.newNonRetryableFailure("no", JobActivities.JOB_REJECTED))))
                .isTrue();
        assertThat(JobFailures.isRejection(activityFailure(ApplicationFailure.newFailure("no", "Other"))))
                .isFalse();
        assertThat(JobFailures.isRejection(null)).isFalse();
    }

    private static ActivityFailure activityFailure(Throwable cause) {
        return new ActivityFailure(
                "activity failed",
                5,
                6,
                "JobSubmit",
                "1",
                RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
                "worker",
                cause);
    }
}
