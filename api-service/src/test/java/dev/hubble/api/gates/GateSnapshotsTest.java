package dev.hubble.api.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.hubble.core.config.DriverProperties;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GateSnapshotsTest {

    private final WorkflowClient client = mock(WorkflowClient.class);
    private final GateWorkflow duckdb = mock(GateWorkflow.class);
    private final GateWorkflow python = mock(GateWorkflow.class);
    private final GateSnapshots gates =
            new GateSnapshots(client, new DriversProperties(Map.of("duckdb", driver(), "local-python", driver())));

    GateSnapshotsTest() {
        when(client.newWorkflowStub(GateWorkflow.class, "gate-duckdb")).thenReturn(duckdb);
        when(client.newWorkflowStub(GateWorkflow.class, "gate-local-python")).thenReturn(python);
    }

    @Test
    void positionsOfTenThousandWaitingJobsAreIndexedOncePerRefresh() {
        List<String> queue =
                IntStream.range(0, 10_000).mapToObj(i -> "job-" + i).toList();
        when(duckdb.snapshot()).thenReturn(GateSnapshot.of("duckdb", 4, List.of("a", "b", "c", "d"), queue));
        when(python.snapshot())
                .thenThrow(new WorkflowNotFoundException(WorkflowExecution.getDefaultInstance(), null, null));

        gates.refresh();

        assertThat(gates.position("duckdb", "job-0")).hasValue(1);
        assertThat(gates.position("duckdb", "job-9999")).hasValue(10_000);
        assertThat(gates.position("duckdb", "a")).as("holders do not wait").isEmpty();
        assertThat(gates.position("local-python", "job-0")).isEqualTo(OptionalInt.empty());
        assertThat(gates.snapshot("duckdb").waiting()).isEqualTo(10_000);
        assertThat(gates.snapshot("local-python").running()).isZero();
    }

    @Test
    void aGateThatCannotBeAskedKeepsItsLastSnapshot() {
        when(duckdb.snapshot())
                .thenReturn(GateSnapshot.of("duckdb", 1, List.of("a"), List.of("b")))
                .thenThrow(new IllegalStateException("Temporal is busy"));
        when(python.snapshot()).thenReturn(GateSnapshot.of("local-python", 1, List.of(), List.of()));

        gates.refresh();
        gates.refresh();

        assertThat(gates.position("duckdb", "b")).hasValue(1);
    }

    private static DriverProperties driver() {
        return new DriverProperties(true, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 4);
    }
}
