package dev.hubble.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateContractsTest {

    @Test
    void gateOfADriverIsNamedAfterIt() {
        assertThat(Gates.workflowId("local-python")).isEqualTo("gate-local-python");
        assertThatThrownBy(() -> Gates.workflowId("Spark Jobs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void positionCountsFromTheNextJobToBeGranted() {
        GateSnapshot gate = GateSnapshot.of("duckdb", 2, List.of("a", "b"), List.of("c", "d", "e"));

        assertThat(gate.position("c")).hasValue(1);
        assertThat(gate.position("e")).hasValue(3);
        assertThat(gate.position("a")).as("a holder does not wait").isEmpty();
        assertThat(gate.position("unknown")).isEmpty();
        assertThat(gate.holds("b")).isTrue();
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);
    }

    @Test
    void snapshotWhoseCountsDisagreeWithItsListsIsRejected() {
        assertThatThrownBy(() -> new GateSnapshot("duckdb", 2, 1, 0, List.of("a", "b"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gateInputRejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> GateInput.start("duckdb", -1, Duration.ofMinutes(1), 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GateInput.start("duckdb", 1, Duration.ZERO, 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GateInput.start("duckdb", 1, Duration.ofMinutes(1), 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PermitRequest(" ", 5, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadsSurviveTemporalsDataConverter() {
        DataConverter converter = GlobalDataConverter.get();
        GateInput input = new GateInput(
                "duckdb",
                3,
                4,
                Duration.ofMinutes(1),
                1000,
                List.of(new PermitRequest("a", 9, Instant.parse("2026-01-01T00:00:00Z"))),
                List.of(new PermitRequest("b", 1, Instant.parse("2026-01-01T00:00:01Z"))));
        GateSnapshot snapshot = GateSnapshot.of("duckdb", 3, List.of("a"), List.of("b"));

        assertThat(converter.fromPayload(converter.toPayload(input).orElseThrow(), GateInput.class, GateInput.class))
                .isEqualTo(input);
        assertThat(converter.fromPayload(
                        converter.toPayload(snapshot).orElseThrow(), GateSnapshot.class, GateSnapshot.class))
                .isEqualTo(snapshot);
    }
}
