package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.livydev.LivyServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark SQL jobs through the REST API of the local stack with its Livy and local Spark (child
 * processes), results in its S3 (S3Proxy, through s3a): the spark driver, spark-job and its
 * reports, end to end, and what happens when a worker, Livy or the user gets in the way. One
 * stack and one Livy for the class; the driver reaches Livy through a {@link LivyProxy} that can
 * lose an answer or hide a batch. Spark jobs run one at a time (JUnit runs these in sequence).
 */
class SparkJobEndToEndTest {

    private static final Duration SPARK_JOB = Duration.ofMinutes(4);
    /** Runs until it is killed: a trillion rows counted on two threads. */
    private static final String LONG_QUERY = "select count(*) from range(0, 1000000000000, 1, 2)";

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static LivyProxy proxy;
    private static LivyServerProcess livy;

    @BeforeAll
    static void startStack() {
        long started = System.nanoTime();
        int livyPort = freePort();
        proxy = LivyProxy.to(URI.create("http://127.0.0.1:" + livyPort));
        stack = LocalStack.start(
                dataDir,
                "--hubble.dev.spark=true",
                "--hubble.dev.livy-port=" + livyPort,
                "--hubble.drivers.spark.livy.url=" + proxy.url());
        livy = stack.context.getBean(LocalSpark.class).livy(Duration.ofMinutes(3));
        System.out.printf("Local stack with Spark ready after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void selectFortyTwoDownloadsAsCsvThroughItsPresignedS3Link() {
        long started = System.nanoTime();
        String jobId = stack.submit(
                Map.of("query", "select 42 as answer", "driver", "spark", "format", "csv", "source", "e2e-spark"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", SPARK_JOB);
        System.out.printf("Spark select 42: submit to SUCCEEDED in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(job.at("/result/location").asText()).startsWith("s3://");
        assertThat(job.at("/result/files")).hasSize(1);
        String url = job.at("/result/files/0/url").asText();
        assertThat(url).startsWith(stack.s3()).contains("X-Amz-Signature=");
        HttpResponse<byte[]> download = stack.download(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");
    }

    @Test
    void aHundredThousandRowParquetResultReadsBackThroughItsPresignedS3Links(@TempDir Path downloads) throws Exception {
        String jobId = stack.submit(Map.of(
                "query",
                "select id, concat('row-', id) as name from range(100000)",
                "driver",
                "spark",
                "format",
                "parquet",
                "source",
                "e2e-spark"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", SPARK_JOB);

        assertThat(job.at("/result/fileCount").asInt())
                .isPositive()
                .isEqualTo(job.at("/result/files").size());
        List<String> files = new ArrayList<>();
        for (JsonNode file : job.at("/result/files")) {
            assertThat(file.get("name").asText()).endsWith(".parquet");
            String url = file.get("url").asText();
            assertThat(url).startsWith(stack.s3());
            HttpResponse<byte[]> download = stack.download(url);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length)
                    .isEqualTo(file.get("sizeBytes").asLong());
            Path local = downloads.resolve(file.get("name").asText());
            Files.write(local, download.body());
            files.add("'" + local + "'");
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duckdb.createStatement();
                ResultSet rows = sql.executeQuery("select count(*), count(distinct id), sum(id),"
                        + " count(*) filter (where name = 'row-' || id) from read_parquet([" + String.join(",", files)
                        + "])")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(100_000);
            assertThat(rows.getLong(2)).isEqualTo(100_000);
            assertThat(rows.getLong(3)).isEqualTo(99_999L * 100_000 / 2);
            assertThat(rows.getLong(4)).isEqualTo(100_000);
        }
    }

    @Test
    void aSyntaxErrorFailsWithSparksOwnMessage() {
        String jobId = stack.submit(Map.of("query", "selec 42", "driver", "spark", "source", "e2e-spark"));

        JsonNode job = stack.awaitState(jobId, "FAILED", SPARK_JOB);

        assertThat(job.at("/error/message").asText())
                .startsWith("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'");
    }

    @Test
    void aSubmitRetriedAfterTheWorkerLostLivysAnswerMakesOneBatch() {
        proxy.loseNextCreateAnswer();

        String jobId = stack.submit(Map.of("query", "select 1 as one", "driver", "spark", "source", "e2e-spark"));
        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", SPARK_JOB);

        assertThat(proxy.lostCreateAnswers())
                .as("Livy created a batch whose answer was lost")
                .isEqualTo(1);
        assertThat(proxy.batchNamesAtLivy())
                .as("Livy's batches")
                .filteredOn(("hubble-" + jobId)::equals)
                .hasSize(1);
        assertThat(job.at("/result/files")).hasSize(1);
    }

    @Test
    void aBatchLivyForgotAfterItFinishedSucceedsFromItsResultFile() {
        proxy.hideNextCreatedBatch();
        String jobId = stack.submit(Map.of("query", "select 7 as seven", "driver", "spark", "source", "e2e-spark"));
        String batch = "hubble-" + jobId;
        await().atMost(SPARK_JOB)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "success".equals(proxy.stateAtLivy(batch)));
        assertThat(state(jobId)).as("Hubble has not seen the batch end").isIn("SUBMITTED", "RUNNING");

        livy.restart();
        assertThat(proxy.stateAtLivy(batch))
                .as("a restarted Livy has forgotten the batch")
                .isNull();
        proxy.showBatches();

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", SPARK_JOB);
        HttpResponse<byte[]> download =
                stack.download(job.at("/result/files/0/url").asText());
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("seven\n7\n");
    }

    @Test
    void livyKilledWhileAJobRunsFailsTheJobAsVanished() {
        String jobId = stack.submit(Map.of("query", LONG_QUERY, "driver", "spark", "source", "e2e-spark"));
        stack.awaitState(jobId, "RUNNING", SPARK_JOB);
        List<ProcessHandle> drivers = awaitSparkDriver();

        livy.crashAndRestart(); // Livy and the Spark driver it runs die at once; a new Livy knows no batch

        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(drivers).noneMatch(ProcessHandle::isAlive));
        JsonNode job = stack.awaitState(jobId, "FAILED", Duration.ofMinutes(2));
        assertThat(job.at("/error/message").asText()).contains("vanished").contains("hubble-" + jobId);
    }

    @Test
    void cancellingALongQueryEndsCancelledAndTheSparkDriverProcessIsGone() {
        String jobId = stack.submit(Map.of("query", LONG_QUERY, "driver", "spark", "source", "e2e-spark"));
        stack.awaitState(jobId, "RUNNING", SPARK_JOB);
        List<ProcessHandle> drivers = awaitSparkDriver();

        assertThat(stack.delete("/v1/jobs/" + jobId).statusCode()).isEqualTo(202);

        stack.awaitState(jobId, "CANCELLED", Duration.ofMinutes(2));
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(drivers)
                        .as("the Spark driver processes, in the process table")
                        .noneMatch(ProcessHandle::isAlive)
                        .allSatisfy(driver -> assertThat(Path.of("/proc", Long.toString(driver.pid())))
                                .doesNotExist()));
        assertThat(livy.drivers()).isEmpty();
        assertThat(proxy.stateAtLivy("hubble-" + jobId))
                .as("Livy no longer runs the batch")
                .isNull();
    }

    /** Livy's child processes once one of them is the Spark driver JVM running spark-job. */
    private static List<ProcessHandle> awaitSparkDriver() {
        await().atMost(SPARK_JOB)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> livy.drivers().stream()
                        .map(SparkJobEndToEndTest::commandLine)
                        .anyMatch(command -> command.contains("org.apache.spark.deploy.SparkSubmit")
                                && command.contains("dev.hubble.sparkjob.SparkJob")));
        return livy.drivers();
    }

    private String state(String jobId) {
        return stack.read(stack.get("/v1/jobs/" + jobId).body()).get("state").asText();
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
