package dev.hubble.activities.duckdb;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.runner.JobRunnerContract;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The driver SPI's promises, kept by the DuckDB runner with a real embedded DuckDB. */
class DuckDbRunnerContractTest extends JobRunnerContract {

    @TempDir
    Path dir;

    private DuckDbRunner runner;

    @BeforeEach
    void startRunner() {
        runner = new DuckDbRunner(
                new DuckDbProperties(1, DataSize.ofMegabytes(256), 2, false, List.of(), Duration.ofHours(1)),
                Clock.systemUTC());
    }

    @AfterEach
    void stopRunner() {
        runner.destroy();
    }

    @Override
    protected JobRunner runner() {
        return runner;
    }

    @Override
    protected JobSpec quickJob() {
        return spec("select 42 as answer");
    }

    @Override
    protected JobSpec longJob() {
        return spec("select count(*) from range(1000000000000) a where a.range % 7 = 3");
    }

    @Override
    protected URI output(String jobId) {
        try {
            return Files.createDirectories(dir.resolve(jobId)).toUri();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JobSpec spec(String query) {
        return new JobSpec(
                query,
                DuckDbRunner.DRIVER,
                OutputFormat.CSV,
                "contract",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                Map.of(),
                null);
    }
}
