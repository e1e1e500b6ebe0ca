package dev.hubble.activities.localpython;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.runner.JobRunnerContract;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import java.io.IOException;
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

/** The driver SPI's promises, kept by the local Python runner with real {@code python3} processes. */
class LocalPythonRunnerContractTest extends JobRunnerContract {

    @TempDir
    Path jobs;

    @TempDir
    Path results;

    @TempDir
    Path helper;

    private LocalPythonRunner runner;
    private LocalResults store;

    @BeforeEach
    void startRunner() throws IOException {
        Files.writeString(jobs.resolve("writes.py"), """
                with open("result.csv", "w") as f:
                    f.write("n\\n42\\n")
                print("wrote result.csv")
                """);
        Files.writeString(jobs.resolve("sleeps.py"), """
                import time
                time.sleep(600)
                """);
        runner = new LocalPythonRunner(
                new LocalPythonProperties(
                        jobs,
                        "python3",
                        URI.create("http://hubble.test:8080/api/"),
                        20,
                        Duration.ofHours(1),
                        helper,
                        Duration.ofSeconds(5),
                        List.of()),
                new JobTokens(new JobTokenProperties("0123456789abcdef0123456789abcdef")),
                Clock.systemUTC());
        store = new LocalResults(results);
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
        return spec("writes");
    }

    @Override
    protected JobSpec longJob() {
        return spec("sleeps");
    }

    /** The tail of stdout, then of stderr, each under a line that names it. */
    @Override
    protected int maxLogLines(int lines) {
        return 2 * lines + 2;
    }

    @Override
    protected URI output(String jobId) {
        return store.output(jobId);
    }

    private static JobSpec spec(String name) {
        return new JobSpec(
                name,
                LocalPythonRunner.DRIVER,
                OutputFormat.CSV,
                "contract",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofMinutes(5),
                Map.of(),
                null);
    }
}
