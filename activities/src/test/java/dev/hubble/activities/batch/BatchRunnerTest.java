package dev.hubble.activities.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.runner.JobRunnerContract;
import dev.hubble.batchdev.FakeBatch;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The python driver against the project's HTTP-level fake of AWS Batch and CloudWatch Logs: the
 * real SDK clients, the real wire format, jobs that really run as processes.
 */
class BatchRunnerTest extends JobRunnerContract {

    private static final JobTokens TOKENS =
            new JobTokens(new JobTokenProperties("a-test-secret-of-at-least-32-characters"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final URI OUTPUT = URI.create("s3://results/jobs/the-job/");
    private static final URI API = URI.create("http://hubble.test:8080");

    private static FakeBatch fake;
    private static BatchRunner runner;

    @BeforeAll
    static void startFake() {
        // The SDK's default credentials chain reads these; the fake does not check signatures.
        System.setProperty("aws.accessKeyId", "test-key");
        System.setProperty("aws.secretAccessKey", "test-secret");
        fake = FakeBatch.builder()
                .stepDelay(Duration.ofMillis(40))
                .queue("jobs")
                .jobDefinition(
                        "echo-env",
                        List.of(
                                "sh",
                                "-c",
                                "echo \"job $HUBBLE_JOB_ID day=$HUBBLE_PARAM_day output=$HUBBLE_OUTPUT api=$HUBBLE_API_URL\""),
                        Map.of())
                .jobDefinition(
                        "fails",
                        List.of("sh", "-c", "echo starting; echo 'ValueError: no data for day' >&2; exit 3"),
                        Map.of())
                .jobDefinition("sleeps", List.of("sleep", "600"), Map.of())
                .start();
        runner = runner(Duration.ofMinutes(30));
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    private static PythonBatchProperties.Batch batchSettings() {
        return batchSettings("jobs");
    }

    /** The fake's endpoints with {@code jobQueue} as the default queue. */
    private static PythonBatchProperties.Batch batchSettings(String jobQueue) {
        return new PythonBatchProperties.Batch(
                jobQueue,
                "eu-west-1",
                fake.endpoint(),
                fake.endpoint(),
                "/aws/batch/job",
                null,
                "hubble-",
                Duration.ofSeconds(10),
                4,
                Duration.ofSeconds(20),
                50);
    }

    private static BatchRunner runner(Duration maxRunnable) {
        PythonBatchProperties.Batch batch = batchSettings();
        PythonBatchProperties properties = new PythonBatchProperties(
                batch,
                Map.of(
                        "echo_env",
                                new PythonBatchProperties.Job(
                                        "echo-env", null, null, new BigDecimal("0.5"), DataSize.ofMegabytes(512)),
                        "fails", new PythonBatchProperties.Job("fails", null, null, null, null),
                        "sleeps", new PythonBatchProperties.Job("sleeps", null, Duration.ofMinutes(5), null, null),
                        "missing_definition",
                                new PythonBatchProperties.Job("no-such-definition", null, null, null, null),
                        "elsewhere", new PythonBatchProperties.Job("echo-env", "no-such-queue", null, null, null)),
                maxRunnable);
        return new BatchRunner(
                properties,
                BatchAutoConfiguration.batchClient(batch),
                BatchAutoConfiguration.logsClient(batch),
                TOKENS,
                API,
                Clock.systemUTC());
    }

    @Override
    protected JobRunner runner() {
        return runner;
    }

    @Override
    protected JobSpec quickJob() {
        return spec("echo_env", Map.of("day", "2030-01-02"));
    }

    @Override
    protected JobSpec longJob() {
        return spec("sleeps", Map.of());
    }

    @Override
    protected URI output(String jobId) {
        return URI.create("s3://results/jobs/" + jobId + "/");
    }

    @Test
    void theHealthCheckDescribesTheJobQueueAndFailsForOneBatchDoesNotKnow() {
        assertThat(runner.checkEngine())
                .containsEntry("queue", "jobs")
                .containsEntry("state", "ENABLED")
                .containsEntry("status", "VALID");

        BatchRunner elsewhere = new BatchRunner(
                new PythonBatchProperties(batchSettings("no-such-queue"), Map.of(), Duration.ofMinutes(30)),
                BatchAutoConfiguration.batchClient(batchSettings()),
                BatchAutoConfiguration.logsClient(batchSettings()),
                TOKENS,
                API,
                Clock.systemUTC());
        assertThatThrownBy(elsewhere::checkEngine).hasMessageContaining("does not know the job queue no-such-queue");
    }

    @Test
    void aJobRunsAsAContainerWithTheEnvironmentContractAndItsOutputIsItsLog() {
        String jobId = UUID.randomUUID().toString();
        RunHandle handle = runner.submit(jobId, spec("echo_env", Map.of("day", "2030-01-02")), OUTPUT);

        assertThat(awaitFinal(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
        FakeBatch.JobView job = fake.job(handle.remoteId()).orElseThrow();
        assertThat(job.jobName()).isEqualTo("hubble-" + jobId);
        assertThat(job.environment())
                .containsEntry("HUBBLE_JOB_ID", jobId)
                .containsEntry("HUBBLE_OUTPUT", OUTPUT.toString())
                .containsEntry("HUBBLE_API_URL", "http://hubble.test:8080")
                .containsEntry("HUBBLE_PARAM_day", "2030-01-02")
                .containsKey("HUBBLE_JOB_TOKEN");
        assertThat(TOKENS.verify(jobId, job.environment().get("HUBBLE_JOB_TOKEN")))
                .isTrue();
        assertThat(job.tags())
                .containsEntry(BatchRunner.TAG_JOB_ID, jobId)
                .containsEntry(BatchRunner.TAG_SOURCE, "tests")
                .containsEntry(BatchRunner.TAG_JOB, "echo_env");
        assertThat(runner.logTail(handle, 10))
                .containsExactly("job " + jobId + " day=2030-01-02 output=" + OUTPUT + " api=http://hubble.test:8080");
    }

    @Test
    void aPollShowsTheBatchJobItsLogStreamAndConsoleLinks() {
        RunHandle handle = runner.submit(UUID.randomUUID().toString(), spec("echo_env", Map.of()), OUTPUT);
        awaitFinal(handle);

        RemoteDetails seen = runner.poll(handle).details();

        String stream = fake.job(handle.remoteId()).orElseThrow().logStream();
        assertThat(stream).startsWith("echo-env/default/");
        assertThat(seen.engineId()).isEqualTo(handle.remoteId());
        assertThat(seen.appId()).isNull();
        assertThat(seen.logStream()).isEqualTo(stream);
        assertThat(seen.uiUrl())
                .isEqualTo("https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#jobs/detail/"
                        + handle.remoteId());
        assertThat(seen.logUrl())
                .isEqualTo("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                        + "#logsV2:log-groups/log-group/$252Faws$252Fbatch$252Fjob/log-events/"
                        + stream.replace("/", "$252F"));
    }

    @Test
    void aRetriedSubmitFindsTheBatchJobOfTheFirstTry() {
        String jobId = UUID.randomUUID().toString();
        RunHandle first = runner.submit(jobId, spec("sleeps", Map.of()), OUTPUT);
        RunHandle again = runner.submit(jobId, spec("sleeps", Map.of()), OUTPUT);

        assertThat(again).isEqualTo(first);
        assertThat(fake.jobsNamed("hubble-" + jobId)).hasSize(1);
        runner.cancel(first);
    }

    @Test
    void aSubmitWhoseAnswerWasLostFindsTheJobItCreated() {
        String jobId = UUID.randomUUID().toString();
        fake.loseNextAnswer("SubmitJob");

        RunHandle handle = runner.submit(jobId, spec("echo_env", Map.of()), OUTPUT);

        assertThat(fake.jobsNamed("hubble-" + jobId))
                .singleElement()
                .satisfies(job -> assertThat(job.jobId()).isEqualTo(handle.remoteId()));
        assertThat(awaitFinal(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    void aFailedJobSaysItsExitCodeAndItsLogTailIsItsDiagnostics() {
        RunHandle handle = runner.submit(UUID.randomUUID().toString(), spec("fails", Map.of()), OUTPUT);

        RemoteStatus status = awaitFinal(handle);
        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message()).isEqualTo("the Batch job failed: exit code 3");
        assertThat(runner.diagnostics(handle)).contains("starting\nValueError: no data for day");
    }

    @Test
    void anUnknownJobIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> runner.submit(UUID.randomUUID().toString(), spec("nope", Map.of()), OUTPUT))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage(
                        "unknown Python job 'nope'; available jobs: echo_env, elsewhere, fails, missing_definition, sleeps");
    }

    @Test
    void batchRefusingTheJobFailsItWithAwsMessage() {
        assertThatThrownBy(
                        () -> runner.submit(UUID.randomUUID().toString(), spec("missing_definition", Map.of()), OUTPUT))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage("AWS Batch refused SubmitJob: JobDefinition no-such-definition not found.");
        assertThatThrownBy(() -> runner.submit(UUID.randomUUID().toString(), spec("elsewhere", Map.of()), OUTPUT))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage("AWS Batch refused SubmitJob: JobQueue no-such-queue not found.");
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedWithBackoff() {
        int before = fake.calls().size();
        fake.failNext("ListJobs", 1, 500, "ServerException", "Internal error");
        fake.failNext("SubmitJob", 2, 429, "TooManyRequestsException", "Too Many Requests");
        fake.failNext("SubmitJob", 1, 500, "ServerException", "Internal error");
        fake.failNext("DescribeJobs", 1, 500, "ServerException", "Internal error");

        RunHandle handle = runner.submit(UUID.randomUUID().toString(), spec("echo_env", Map.of()), OUTPUT);

        assertThat(awaitFinal(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
        List<String> calls = fake.calls().subList(before, fake.calls().size());
        // Throttled twice and retried by the SDK; then a server error, after which the runner
        // looks for the job before it submits again.
        assertThat(calls.stream().filter("SubmitJob"::equals)).hasSize(4);
        assertThat(calls.stream().filter("ListJobs"::equals)).hasSize(3);
    }

    @Test
    void cancelTerminatesARunningJobAndItsProcessIsGone() {
        RunHandle handle = runner.submit(UUID.randomUUID().toString(), spec("sleeps", Map.of()), OUTPUT);
        await().atMost(PATIENCE).until(() -> runner.poll(handle).phase() == RemotePhase.RUNNING);
        FakeBatch.JobView running = fake.job(handle.remoteId()).orElseThrow();
        assertThat(running.processAlive()).isTrue();

        runner.cancel(handle);

        FakeBatch.JobView after = fake.job(handle.remoteId()).orElseThrow();
        assertThat(after.status()).isEqualTo("FAILED");
        assertThat(after.statusReason()).isEqualTo(BatchRunner.CANCEL_REASON);
        assertThat(after.processAlive()).isFalse();
        assertThat(fake.calls()).contains("TerminateJob");
        runner.cancel(handle); // a second cancel finds it ended and does nothing
    }

    @Test
    void aJobStuckInRunnableIsTerminatedAtTheLimit() {
        String jobId = UUID.randomUUID().toString();
        fake.holdRunnable(held -> held.jobName().equals("hubble-" + jobId));
        BatchRunner impatient = runner(Duration.ofSeconds(1));
        RunHandle handle = impatient.submit(jobId, spec("echo_env", Map.of()), OUTPUT);
        await().atMost(PATIENCE)
                .until(() -> "RUNNABLE"
                        .equals(fake.job(handle.remoteId()).orElseThrow().status()));

        RemoteStatus status = awaitFinal(impatient, handle);

        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message())
                .isEqualTo(
                        "the Batch job was still RUNNABLE 1 s after its submission"
                                + " (hubble.drivers.python.max-runnable) and was terminated: queue jobs has no compute capacity that can run it");
        FakeBatch.JobView job = fake.job(handle.remoteId()).orElseThrow();
        assertThat(job.status()).isEqualTo("FAILED");
        assertThat(job.statusReason()).isEqualTo("Hubble: not started within max-runnable (PT1S)");
        assertThat(job.pid()).isNull();
        fake.holdRunnable(held -> false);
    }

    @Test
    void aJobBatchDoesNotKnowIsNotFound() {
        RunHandle handle = new RunHandle("python", UUID.randomUUID().toString(), Map.of("output", OUTPUT.toString()));

        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.NOT_FOUND);
        assertThat(runner.logTail(handle, 10)).isEmpty();
        runner.cancel(handle);
    }

    private static RemoteStatus awaitFinal(RunHandle handle) {
        return awaitFinal(runner, handle);
    }

    private static RemoteStatus awaitFinal(BatchRunner runner, RunHandle handle) {
        AtomicReference<RemoteStatus> last = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(runner.poll(handle));
            return last.get().phase().isTerminal();
        });
        return last.get();
    }

    private static JobSpec spec(String name, Map<String, String> parameters) {
        return new JobSpec(
                name,
                "python",
                OutputFormat.CSV,
                "tests",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                parameters,
                null);
    }
}
