package dev.hubble.activities.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RunHandle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The log a DuckDB job shows: its query and what became of it. */
class DuckDbRunnerLogTest {

    @TempDir
    Path results;

    private final DuckDbRunner runner = new DuckDbRunner(properties(), Clock.systemUTC());

    @AfterEach
    void stop() {
        runner.destroy();
    }

    @Test
    void logShowsTheQueryAndItsOutcome() {
        RunHandle handle = runner.submit("job-ok", spec("select 42 as answer\nfrom range(1)"), output("job-ok"));
        await().atMost(Duration.ofSeconds(60)).until(() -> runner.poll(handle).phase() == RemotePhase.SUCCEEDED);

        List<String> log = runner.logTail(handle, 100);

        assertThat(log.get(0)).endsWith(" query accepted:");
        assertThat(log).contains("  select 42 as answer", "  from range(1)");
        assertThat(log.get(log.size() - 1)).matches("\\S+ SUCCEEDED after \\d+ ms");
        assertThat(runner.logTail(handle, 1)).containsExactly(log.get(log.size() - 1));
    }

    @Test
    void logOfAFailedQueryCarriesDuckDbsWholeError() {
        RunHandle handle = runner.submit(
                "job-bad", spec("select cast(range::varchar || 'x' as integer) from range(3)"), output("job-bad"));
        await().atMost(Duration.ofSeconds(60)).until(() -> runner.poll(handle).phase() == RemotePhase.FAILED);

        String log = String.join("\n", runner.logTail(handle, 100));

        assertThat(log).contains(" FAILED after ").contains("Conversion Error");
    }

    @Test
    void unknownJobHasNoLog() {
        assertThat(runner.logTail(new RunHandle(DuckDbRunner.DRIVER, "never-submitted", Map.of()), 10))
                .isEmpty();
    }

    /** The job's output directory, which the result store creates before submission. */
    private java.net.URI output(String jobId) {
        try {
            return java.nio.file.Files.createDirectories(results.resolve(jobId)).toUri();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JobSpec spec(String query) {
        return new JobSpec(
                query,
                DuckDbRunner.DRIVER,
                OutputFormat.CSV,
                "test",
                null,
                null,
                null,
                5,
                Duration.ofHours(1),
                Map.of(),
                null);
    }

    private static DuckDbProperties properties() {
        return new DuckDbProperties(1, DataSize.ofMegabytes(256), 1, false, List.of(), Duration.ofHours(1));
    }
}
