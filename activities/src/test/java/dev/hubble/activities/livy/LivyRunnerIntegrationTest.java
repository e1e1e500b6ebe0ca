package dev.hubble.activities.livy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.livydev.DevHomes;
import dev.hubble.livydev.LivyServerProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark driver against a real Livy 0.7.1 running the spark-job jar on local Spark. Slow
 * (a Spark batch takes 5-20 s here), so one Livy serves every test and batches run one at a time.
 */
class LivyRunnerIntegrationTest {

    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private static LivyServerProcess livy;
    private static LivyRunner runner;

    @BeforeAll
    static void startLivy() throws Exception {
        long started = System.nanoTime();
        livy = LivyServerProcess.builder().workDir(dir.resolve("livy")).start();
        System.out.printf("Livy answered after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        int nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort(); // no Hubble API here: spark-job's reports go nowhere
        }
        LivyProperties properties = new LivyProperties(
                livy.url(),
                DevHomes.sparkJobJar().toUri(),
                "dev.hubble.sparkjob.SparkJob",
                Map.of("spark.ui.enabled", "false"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                URI.create("http://127.0.0.1:" + nobody),
                "hubble-",
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                100,
                Duration.ofSeconds(5));
        runner = new LivyRunner(
                properties,
                List.of(new LocalLocationFiles()),
                new JobTokens(new JobTokenProperties("a-test-secret-of-at-least-32-characters")),
                new ObjectMapper());
    }

    @AfterAll
    static void stopLivy() {
        if (livy != null) {
            livy.stop();
        }
    }

    @Test
    void selectFortyTwoSucceedsWithItsCsvInTheJobsLocation() throws Exception {
        URI output = location("answer");
        long started = System.nanoTime();
        RunHandle handle = runner.submit("answer", spec("select 42 as answer"), output);

        RemoteStatus status = awaitEnd(handle);
        System.out.printf(
                "select 42: submit to %s in %d ms%n", status.phase(), (System.nanoTime() - started) / 1_000_000);

        assertThat(status.phase())
                .as(() -> runner.diagnostics(handle).orElse(""))
                .isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(status.details().engineId()).as("the Livy batch id").isNotBlank();
        assertThat(results(output))
                .singleElement()
                .satisfies(csv -> assertThat(Files.readString(csv)).isEqualTo("answer\n42\n"));
        // A retried submit finds the same batch.
        assertThat(runner.submit("answer", spec("select 42 as answer"), output)).isEqualTo(handle);
    }

    @Test
    void aSyntaxErrorFailsWithSparksOwnMessage() throws Exception {
        URI output = location("typo");
        RunHandle handle = runner.submit("typo", spec("selec 42"), output);

        RemoteStatus status = awaitEnd(handle);

        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message()).startsWith("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'");
        assertThat(runner.diagnostics(handle))
                .hasValueSatisfying(tail -> assertThat(tail).contains("PARSE_SYNTAX_ERROR"));
    }

    @Test
    void cancellingALongQueryKillsItsSparkDriver() throws Exception {
        URI output = location("long");
        RunHandle handle = runner.submit("long", spec("select count(*) from range(0, 1000000000000, 1, 2)"), output);
        await("the Spark driver to start", () -> !livy.drivers().isEmpty());
        await("the job to run", () -> runner.poll(handle).phase() == RemotePhase.RUNNING);
        List<ProcessHandle> drivers = livy.drivers();

        runner.cancel(handle);

        await("the Spark driver to be gone", () -> drivers.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(livy.drivers()).isEmpty();
        runner.cancel(handle); // again: already gone, no error
    }

    private static RemoteStatus awaitEnd(RunHandle handle) throws InterruptedException {
        long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            RemoteStatus status = runner.poll(handle);
            if (status.phase().isTerminal()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the batch did not end within " + BATCH_TIMEOUT + "; Livy's log is " + livy.log());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BATCH_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + BATCH_TIMEOUT + " for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static URI location(String jobId) throws Exception {
        return Files.createDirectories(dir.resolve("results/jobs").resolve(jobId))
                .toUri();
    }

    private static List<Path> results(URI output) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(output))) {
            return files.filter(file -> !file.getFileName().toString().startsWith("_")
                            && !file.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    private static JobSpec spec(String query) {
        return new JobSpec(
                query,
                "spark",
                OutputFormat.CSV,
                "tests",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                Map.of(),
                null);
    }
}
