package dev.hubble.activities.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Cancels reach a DuckDB query whenever they come: before, while and just after it starts. */
class DuckDbRunnerTest {

    /** A query that runs for minutes unless it is interrupted. */
    private static final String LONG = "select count(*) from range(1000000000000) a where a.range % 7 = 3";

    @TempDir
    Path dir;

    private DuckDbRunner runner;

    private DuckDbRunner runner(int parallelQueries) {
        runner = new DuckDbRunner(
                new DuckDbProperties(
                        1, DataSize.ofMegabytes(256), parallelQueries, false, List.of(), Duration.ofHours(1)),
                Clock.systemUTC());
        return runner;
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.destroy();
        }
    }

    @Test
    void aQueryCancelledWhileItWaitsForAThreadNeverRuns() throws Exception {
        runner(1);
        RunHandle busy = submit("busy", LONG);
        awaitPhase(busy, RemotePhase.RUNNING);
        RunHandle waiting = submit("waiting", "select 42 as answer");

        runner.cancel(waiting);
        runner.cancel(busy);

        assertThat(runner.poll(waiting).phase()).isEqualTo(RemotePhase.CANCELLED);
        assertThat(runner.poll(busy).phase()).isEqualTo(RemotePhase.CANCELLED);
        assertThat(resultOf("waiting")).doesNotExist();
        assertThat(resultOf("busy")).doesNotExist();
        awaitNothingRunning();
        RunHandle next = submit("next", "select 42 as answer");
        assertThat(awaitEnd(next).phase()).as("the thread is free again").isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    void aRunningQueryStopsWhenCancelledAndLeavesNoResult() throws Exception {
        runner(2);
        RunHandle handle = submit("long", LONG);
        awaitPhase(handle, RemotePhase.RUNNING);

        runner.cancel(handle); // returns once the query stopped

        assertThat(runner.poll(handle)).isEqualTo(new RemoteStatus(RemotePhase.CANCELLED, "cancelled"));
        assertThat(resultOf("long")).doesNotExist();
        awaitNothingRunning();
    }

    @Test
    void cancelsAtRandomMomentsAroundTheStartAllStopTheQuery() throws Exception {
        runner(2);
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            RunHandle handle = submit("job-" + i, LONG);
            Thread.sleep(random.nextInt(5));
            runner.cancel(handle);
            assertThat(runner.poll(handle).phase()).as("job %d", i).isEqualTo(RemotePhase.CANCELLED);
            assertThat(resultOf("job-" + i)).doesNotExist();
        }
        awaitNothingRunning();
    }

    @Test
    void aWatchWaitingOnTheRunnerWakesAsSoonAsTheQueryEnds() throws Exception {
        runner(1);
        RunHandle handle = submit("quick", "select 42 as answer");
        runner.poll(handle);

        long start = System.nanoTime();
        while (!runner.poll(handle).phase().isTerminal()) {
            runner.awaitChange(handle, Duration.ofMinutes(1));
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(Files.readString(resultOf("quick"))).isEqualTo("answer\n42\n");
    }

    @Test
    void everyJobHasADatabaseOfItsOwnThatSeesOnlyItsOwnDirectory() throws Exception {
        runner(2);
        RunHandle first = submit("first", "select 42 as answer");
        assertThat(awaitEnd(first).phase()).isEqualTo(RemotePhase.SUCCEEDED);
        String firstResult = resultOf("first").toAbsolutePath().toString();

        for (int i = 0; i < 5; i++) { // more jobs than databases kept ready
            String reader = "reader-" + i;
            assertThatThrownBy(() -> submit(reader, "select * from read_csv('" + firstResult + "')"))
                    .isInstanceOf(JobRejectedException.class)
                    .hasMessageContaining("Permission Error");
            RunHandle own = submit("own-" + i, "select current_setting('threads') as threads");
            assertThat(awaitEnd(own).phase()).isEqualTo(RemotePhase.SUCCEEDED);
            assertThat(Files.readString(resultOf("own-" + i))).isEqualTo("threads\n1\n");
        }
    }

    private RunHandle submit(String jobId, String query) throws Exception {
        Path out = Files.createDirectories(dir.resolve(jobId));
        JobSpec spec = new JobSpec(
                query,
                DuckDbRunner.DRIVER,
                OutputFormat.CSV,
                "test",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                Map.of(),
                null);
        return runner.submit(jobId, spec, out.toUri());
    }

    private Path resultOf(String jobId) {
        return dir.resolve(jobId).resolve("result.csv");
    }

    private void awaitPhase(RunHandle handle, RemotePhase phase) throws InterruptedException {
        for (int i = 0; i < 3_000 && runner.poll(handle).phase() != phase; i++) {
            Thread.sleep(10);
        }
        assertThat(runner.poll(handle).phase()).isEqualTo(phase);
    }

    private RemoteStatus awaitEnd(RunHandle handle) throws InterruptedException {
        for (int i = 0; i < 3_000 && !runner.poll(handle).phase().isTerminal(); i++) {
            Thread.sleep(10);
        }
        return runner.poll(handle);
    }

    private void awaitNothingRunning() throws InterruptedException {
        for (int i = 0; i < 3_000 && runner.running() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(runner.running()).isZero();
    }
}
