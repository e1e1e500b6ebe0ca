package dev.hubble.worker;

import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobStateActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Every activity stub the worker's workflows use, with its timeouts and retries: the one place
 * they are set. Call these from workflow code only (a stub is bound to the workflow that creates
 * it), once per run, and keep the stub: building one is cheap but not free, and a stub built per
 * call hides what the workflow really uses.
 *
 * <p>Local activities leave one marker in the history and run in the workflow task that starts
 * them; ordinary activities are scheduled by the server, which retries them while the workflow
 * waits. A failure of type {@link JobActivities#JOB_REJECTED} (the engine refused the job) or
 * {@link GateActivities#UNKNOWN_DRIVER} is never retried.
 */
public final class ActivityStubs {

    /** Transient failures, retried at a growing interval up to 30 s. */
    private static final RetryOptions TRANSIENT = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setDoNotRetry(JobActivities.JOB_REJECTED, GateActivities.UNKNOWN_DRIVER)
            .build();

    /** One attempt: the caller looks again or hands over to a retried activity. */
    private static final RetryOptions ONCE =
            RetryOptions.newBuilder().setMaximumAttempts(1).build();

    /**
     * Unlimited attempts, at most 5 s apart: once Redis or Kafka is back, a job's records and
     * events catch up within about 5 s (a 30 s cap left them up to 30 s behind the outage's end).
     * The price: while the outage lasts, each waiting job makes an attempt every 5 s.
     */
    private static final RetryOptions UNTIL_DONE = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(5))
            .build();

    /** How often, and how far apart, a permit's release is tried when the server finds no gate. */
    private static final int RELEASE_ATTEMPTS = 5;

    private static final Duration RELEASE_RETRY = Duration.ofSeconds(2);

    private ActivityStubs() {}

    /** Submission and diagnostics: quick calls, one marker each. */
    public static JobActivities jobCalls() {
        return Workflow.newLocalActivityStub(
                JobActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(2))
                        .setScheduleToCloseTimeout(Duration.ofMinutes(15))
                        .setRetryOptions(TRANSIENT)
                        .build());
    }

    /**
     * Listing the result, and uploading what a local engine wrote to S3: long for a large result,
     * and resumed where it stopped when retried. Local too (one marker); the worker keeps the
     * workflow task alive meanwhile.
     */
    public static JobActivities jobResults() {
        return Workflow.newLocalActivityStub(
                JobActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(30))
                        .setScheduleToCloseTimeout(Duration.ofHours(2))
                        .setRetryOptions(TRANSIENT)
                        .build());
    }

    /** Killing a remote job, bounded by the driver's kill timeout; local, so a cancel needs no round trip. */
    public static JobActivities jobKills(Duration killTimeout) {
        Duration attempt = killTimeout.compareTo(Duration.ofSeconds(30)) <= 0 ? killTimeout : Duration.ofSeconds(30);
        return Workflow.newLocalActivityStub(
                JobActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(attempt)
                        .setScheduleToCloseTimeout(killTimeout)
                        .setRetryOptions(TRANSIENT)
                        .build());
    }

    /**
     * Watches of a running job, each at most {@code window} long, heartbeating; abandoned rather
     * than cancelled when the workflow stops waiting for one.
     */
    public static JobActivities jobWatches(Duration window) {
        return Workflow.newActivityStub(
                JobActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(window.plusMinutes(5))
                        .setHeartbeatTimeout(Duration.ofSeconds(30))
                        .setCancellationType(ActivityCancellationType.ABANDON)
                        .setRetryOptions(TRANSIENT)
                        .build());
    }

    /** Quick looks at a job just submitted: watches as local activities of at most {@code window}, one attempt. */
    public static JobActivities jobQuickLooks(Duration window) {
        return Workflow.newLocalActivityStub(
                JobActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(window.plusSeconds(10))
                        .setRetryOptions(ONCE)
                        .build());
    }

    /** Storing a transition and trying once to send its event; never holds the workflow task open for long. */
    public static JobStateActivities statesOnce() {
        return Workflow.newLocalActivityStub(
                JobStateActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(5))
                        .setRetryOptions(ONCE)
                        .build());
    }

    /** Storing or sending, retried by the server until it succeeds, while the job carries on. */
    public static JobStateActivities statesUntilDone() {
        return Workflow.newActivityStub(
                JobStateActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(UNTIL_DONE)
                        .build());
    }

    /** A job's request for a permit; a gate that stays unreachable fails it rather than hanging the job. */
    public static GateActivities permitRequests() {
        return Workflow.newLocalActivityStub(
                GateActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                        .setRetryOptions(TRANSIENT)
                        .build());
    }

    /**
     * A permit's release: tried a few times while no gate runs (between two of its runs, or
     * terminated); a gate that stays away holds no permit of the job, or frees it at its next
     * liveness sweep.
     */
    public static GateActivities permitReleases() {
        return Workflow.newLocalActivityStub(
                GateActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(RELEASE_RETRY)
                                .setBackoffCoefficient(1.0)
                                .setMaximumAttempts(RELEASE_ATTEMPTS)
                                .setDoNotRetry(GateActivities.UNKNOWN_DRIVER)
                                .build())
                        .build());
    }

    /** The gate's liveness sweep: a sweep that cannot finish gives up, and the next one tries again. */
    public static GateActivities gateSweeps() {
        return Workflow.newActivityStub(
                GateActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setScheduleToCloseTimeout(Duration.ofMinutes(2))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2.0)
                                .setMaximumInterval(Duration.ofSeconds(20))
                                .build())
                        .build());
    }

    /**
     * A log tail: someone reading a log waits for it, so it gives up soon, and the caller asks
     * again rather than waiting long for a worker that is not there.
     */
    public static JobLogActivities logTails() {
        return Workflow.newActivityStub(
                JobLogActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .setScheduleToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(500))
                                .setMaximumAttempts(3)
                                .build())
                        .build());
    }
}
