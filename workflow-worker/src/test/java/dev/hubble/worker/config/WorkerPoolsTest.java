package dev.hubble.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.config.DriverProperties;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobStateActivities;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which task queues a worker process serves, and what stops it from starting. */
class WorkerPoolsTest {

    private final DriversProperties drivers =
            new DriversProperties(Map.of("duckdb", driver(true), "local-python", driver(true), "spark", driver(false)));

    @Test
    void servesEveryEnabledDriverByDefault() {
        assertThat(pools(List.of(), List.of("duckdb", "local-python")).served())
                .containsExactly("duckdb", "local-python");
    }

    @Test
    void servesOnlyTheDriversItIsToldTo() {
        assertThat(pools(List.of("local-python"), List.of("duckdb", "local-python"))
                        .served())
                .containsExactly("local-python");
    }

    @Test
    void refusesToStartForADriverThatIsNotEnabled() {
        assertThatThrownBy(() -> pools(List.of("spark"), List.of("duckdb")))
                .hasMessageContaining("hubble.worker.drivers names spark, which is not enabled");
    }

    @Test
    void refusesToStartForADriverWithoutARunner() {
        assertThatThrownBy(() -> pools(List.of(), List.of("duckdb")))
                .hasMessageContaining("driver local-python has no runner in this worker");
    }

    @Test
    void aPoolsOwnSlotsOverrideTheProcessWideOnes() {
        WorkerProperties properties = new WorkerProperties(
                List.of(),
                50,
                20,
                Duration.ofSeconds(1),
                Map.of("local-python", new WorkerProperties.Pool(2, null)),
                true,
                600);

        assertThat(properties.activitySlots("local-python")).isEqualTo(2);
        assertThat(properties.workflowTaskSlots("local-python")).isEqualTo(20);
        assertThat(properties.activitySlots("duckdb")).isEqualTo(50);
    }

    private WorkerPools pools(List<String> served, List<String> runnerDrivers) {
        WorkerProperties properties = new WorkerProperties(served, 50, 20, Duration.ofSeconds(1), Map.of(), true, 600);
        List<JobRunner> runners =
                runnerDrivers.stream().map(WorkerPoolsTest::runner).toList();
        return new WorkerPools(
                mock(WorkflowClient.class),
                drivers,
                properties,
                mock(JobActivities.class),
                mock(JobStateActivities.class),
                mock(GateActivities.class),
                mock(dev.hubble.core.temporal.JobLogActivities.class),
                runners);
    }

    private static JobRunner runner(String driver) {
        JobRunner runner = mock(JobRunner.class);
        org.mockito.Mockito.when(runner.driver()).thenReturn(driver);
        return runner;
    }

    private static DriverProperties driver(boolean enabled) {
        return new DriverProperties(enabled, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 4);
    }
}
