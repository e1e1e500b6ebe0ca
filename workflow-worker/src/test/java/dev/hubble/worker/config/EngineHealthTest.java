package dev.hubble.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

class EngineHealthTest {

    @Test
    void eachDriverIsUpWithWhatItsEngineSaidOrDownWithWhyItDidNotAnswer() {
        var engines =
                EngineHealth.of(List.of(runner("duckdb", () -> Map.of("version", "v1.4.3")), runner("spark", () -> {
                    throw new IllegalStateException("Livy answered 503");
                })));

        var duckdb = ((HealthIndicator) engines.getContributor("duckdb")).health();
        var spark = ((HealthIndicator) engines.getContributor("spark")).health();

        assertThat(duckdb.getStatus()).isEqualTo(Status.UP);
        assertThat(duckdb.getDetails()).containsEntry("version", "v1.4.3");
        assertThat(spark.getStatus()).isEqualTo(Status.DOWN);
        assertThat(spark.getDetails().get("error").toString()).contains("Livy answered 503");
    }

    private interface Check {
        Map<String, Object> run() throws Exception;
    }

    private static JobRunner runner(String driver, Check check) {
        return new JobRunner() {
            @Override
            public String driver() {
                return driver;
            }

            @Override
            public RunHandle submit(String jobId, JobSpec spec, URI output) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RemoteStatus poll(RunHandle handle) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void cancel(RunHandle handle) {}

            @Override
            public Optional<String> diagnostics(RunHandle handle) {
                return Optional.empty();
            }

            @Override
            public Map<String, Object> checkEngine() throws Exception {
                return check.run();
            }
        };
    }
}
