package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.batchdev.FakeBatch;
import dev.hubble.core.results.s3.S3ResultsProperties;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code python} driver end to end: a local stack whose python driver submits to the
 * project's fake of AWS Batch and CloudWatch Logs, which runs the example jobs as local processes
 * with the container environment Batch would give them. They write their results straight to
 * the stack's S3 (S3Proxy) through boto3, as they would on AWS, with the job definition carrying
 * the S3 endpoint and keys that an image and a job role would provide.
 */
class PythonBatchEndToEndTest {

    private static final String QUEUE = "hubble-jobs";
    private static final String STUCK_QUEUE = "no-capacity";
    private static final Duration MAX_RUNNABLE = Duration.ofSeconds(4);

    @TempDir
    static Path dataDir;

    private static FakeBatch batch;
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        // The driver's SDK clients take credentials from the default chain; the fake checks none.
        System.setProperty("aws.accessKeyId", "batch-test-key");
        System.setProperty("aws.secretAccessKey", "batch-test-secret");
        batch = FakeBatch.builder()
                .stepDelay(Duration.ofMillis(100))
                .queue(QUEUE)
                .queue(STUCK_QUEUE)
                .start();
        String driver = "--hubble.drivers.python.";
        stack = LocalStack.start(
                dataDir,
                driver + "enabled=true",
                driver + "poll-initial=200ms",
                driver + "poll-max=2s",
                driver + "max-runnable=" + MAX_RUNNABLE.toSeconds() + "s",
                driver + "batch.job-queue=" + QUEUE,
                driver + "batch.region=eu-west-1",
                driver + "batch.endpoint=" + batch.endpoint(),
                driver + "batch.logs-endpoint=" + batch.endpoint(),
                driver + "batch.max-attempts=2",
                driver + "jobs.hello.job-definition=hello",
                driver + "jobs.reports_error.job-definition=reports_error:3",
                driver + "jobs.sleeps.job-definition=sleeps",
                driver + "jobs.parent.job-definition=parent",
                driver + "jobs.waits_for_capacity.job-definition=hello",
                driver + "jobs.waits_for_capacity.job-queue=" + STUCK_QUEUE);
        batch.holdRunnable(job -> job.queue().equals(STUCK_QUEUE));

        // What the job image (Python, boto3, the helper, the jobs) and the job role would give
        // each container: here the example jobs, the helper and the stack's own S3 and keys.
        String jobsDir = stack.context.getEnvironment().getRequiredProperty("hubble.drivers.local-python.jobs-dir");
        String helper = stack.context.getEnvironment().getRequiredProperty("hubble.drivers.local-python.helper-path");
        S3ResultsProperties s3 = stack.context.getBean(S3ResultsProperties.class);
        Map<String, String> image = Map.of(
                "PYTHONPATH",
                helper,
                "AWS_ENDPOINT_URL_S3",
                s3.endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                s3.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY",
                s3.secretAccessKey(),
                "AWS_DEFAULT_REGION",
                "us-east-1",
                "AWS_REQUEST_CHECKSUM_CALCULATION",
                "when_required",
                "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "when_required");
        for (String job : List.of("hello", "reports_error", "sleeps", "parent")) {
            batch.registerJobDefinition(
                    job, List.of("python3", "-u", Path.of(jobsDir, job + ".py").toString()), image);
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (batch != null) {
            batch.close();
        }
    }

    @Test
    void aPythonJobWritesACsvToItsS3LocationThatDownloadsThroughItsPresignedLink() {
        String jobId = stack.submit(Map.of(
                "query", "hello", "driver", "python", "source", "e2e-batch", "parameters", Map.of("name", "Batch")));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");

        assertThat(job.at("/result/location").asText()).isEqualTo("s3://hubble-results/jobs/" + jobId + "/");
        assertThat(job.at("/result/files"))
                .extracting(f -> f.get("name").asText())
                .containsExactly("hello.csv");
        String url = job.at("/result/files/0/url").asText();
        assertThat(url)
                .startsWith(stack.s3() + "/hubble-results/jobs/" + jobId + "/hello.csv?")
                .contains("X-Amz-Signature=");
        HttpResponse<byte[]> download = stack.download(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8))
                .isEqualTo("greeting,job_id\r\n\"hello, Batch\"," + jobId + "\r\n");

        FakeBatch.JobView container = batch.jobsNamed("hubble-" + jobId).get(0);
        assertThat(container.environment())
                .containsEntry("HUBBLE_API_URL", stack.api.toString())
                .containsEntry("HUBBLE_OUTPUT", "s3://hubble-results/jobs/" + jobId + "/")
                .containsEntry("HUBBLE_PARAM_name", "Batch");
        assertThat(job.at("/remote/engineId").asText()).isEqualTo(container.jobId());
        assertThat(job.at("/remote/logStream").asText()).isEqualTo(container.logStream());
        assertThat(job.at("/remote/uiUrl").asText())
                .isEqualTo("https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#jobs/detail/"
                        + container.jobId());
        assertThat(job.at("/remote/logUrl").asText())
                .startsWith("https://eu-west-1.console.aws.amazon.com/cloudwatch/");
        assertThat(stack.get("/v1/jobs/" + jobId + "/log").body()).contains("wrote hello.csv for Batch");
    }

    @Test
    void aFailingJobFailsWithItsOwnReportedErrorAndItsLogTailIsItsLog() {
        String jobId = stack.submit(Map.of("query", "reports_error", "driver", "python", "source", "e2e-batch"));

        JsonNode job = stack.awaitState(jobId, "FAILED");

        assertThat(job.at("/error/message").asText()).isEqualTo("upstream export for 2024-01-01 is missing");
        assertThat(job.at("/error/detail").asText())
                .isEqualTo("looked for s3://exports/2024-01-01/ and found no objects");
        assertThat(stack.get("/v1/jobs/" + jobId + "/log").body()).contains("stderr says something less useful");
        assertThat(batch.jobsNamed("hubble-" + jobId).get(0).exitCode()).isEqualTo(1);
    }

    @Test
    void anUnknownJobIsRefusedAtSubmitWithTheKnownOnes() {
        HttpResponse<String> response =
                stack.post("/v1/jobs", Map.of("query", "nope", "driver", "python", "source", "e2e-batch"), Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains(
                        "unknown Python job 'nope'; available jobs: hello, parent, reports_error, sleeps, waits_for_capacity");
    }

    @Test
    void cancelTerminatesTheBatchJobAndItsProcessIsGone() {
        String jobId = stack.submit(Map.of("query", "sleeps", "driver", "python", "source", "e2e-batch"));
        stack.awaitState(jobId, "RUNNING");
        FakeBatch.JobView running = batch.jobsNamed("hubble-" + jobId).get(0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> batch.job(running.jobId()).orElseThrow().processAlive());

        assertThat(stack.delete("/v1/jobs/" + jobId).statusCode()).isEqualTo(202);

        stack.awaitState(jobId, "CANCELLED");
        FakeBatch.JobView after = batch.job(running.jobId()).orElseThrow();
        assertThat(after.status()).isEqualTo("FAILED");
        assertThat(after.statusReason()).isEqualTo("Cancelled in Hubble");
        assertThat(after.processAlive()).isFalse();
    }

    @Test
    void aJobThatNeverLeavesRunnableIsTerminatedAtTheLimit() {
        String jobId = stack.submit(Map.of("query", "waits_for_capacity", "driver", "python", "source", "e2e-batch"));

        JsonNode job = stack.awaitState(jobId, "FAILED", MAX_RUNNABLE.multipliedBy(6));

        assertThat(job.at("/error/message").asText())
                .startsWith("the Batch job was still RUNNABLE 4 s after its submission"
                        + " (hubble.drivers.python.max-runnable) and was terminated");
        FakeBatch.JobView container = batch.jobsNamed("hubble-" + jobId).get(0);
        assertThat(container.status()).isEqualTo("FAILED");
        assertThat(container.pid()).isNull();
    }

    @Test
    void aSubmitRetriedAfterItsAnswerWasLostMakesOneBatchJob() {
        batch.loseNextAnswer("SubmitJob");

        String jobId = stack.submit(Map.of("query", "hello", "driver", "python", "source", "e2e-batch-lost"));

        stack.awaitState(jobId, "SUCCEEDED");
        assertThat(batch.jobsNamed("hubble-" + jobId)).hasSize(1);
    }

    @Test
    void aParentJobOnBatchSubmitsTwoDuckDbChildrenAndWaitsForThem() {
        String jobId = stack.submit(Map.of("query", "parent", "driver", "python", "source", "e2e-batch-parent"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(2));

        String children = new String(
                stack.download(job.at("/result/files/0/url").asText()).body(), StandardCharsets.UTF_8);
        List<String> rows = children.lines().skip(1).toList();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).contains(",SUCCEEDED,1"));
        for (String row : rows) {
            JsonNode child = stack.read(
                    stack.get("/v1/jobs/" + row.substring(0, row.indexOf(','))).body());
            assertThat(child.get("driver").asText()).isEqualTo("duckdb");
            assertThat(child.get("parentJobId").asText()).isEqualTo(jobId);
        }
    }
}
