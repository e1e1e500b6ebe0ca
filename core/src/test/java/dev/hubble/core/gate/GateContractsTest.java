package dev.hubble.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        assertThatThrownBy(() -> GateInput.start("duckdb", GatePolicy.of(-1), Duration.ofMinutes(1), 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GateInput.start("duckdb", GatePolicy.of(1), Duration.ZERO, 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GateInput.start("duckdb", GatePolicy.of(1), Duration.ofMinutes(1), 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PermitRequest(" ", 5, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestWithoutSourceOrAcceptanceTimeIsOfTheEmptySourceInLineFromWhenItAsked() {
        Instant asked = Instant.parse("2026-01-01T00:00:00Z");
        PermitRequest request = new PermitRequest("a", 5, asked, null, null);

        assertThat(request.source()).isEmpty();
        assertThat(request.acceptedAt()).isEqualTo(asked);
        assertThat(request.askedAt(asked.plusSeconds(1)))
                .isEqualTo(new PermitRequest("a", 5, asked.plusSeconds(1), "", asked));
    }

    @Test
    void gatePolicyRejectsNegativeCapacitiesAndWeightsBelowOne() {
        assertThatThrownBy(() -> new GatePolicy(1, -1, new TreeMap<>())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatePolicy(1, 0, new TreeMap<>(Map.of("a", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source a");
        GatePolicy policy = new GatePolicy(4, 2, new TreeMap<>(Map.of("a", 3)));
        assertThat(policy.weightOf("a")).isEqualTo(3);
        assertThat(policy.weightOf("b")).isEqualTo(1);
        assertThat(policy.sourceMayHoldMore(1)).isTrue();
        assertThat(policy.sourceMayHoldMore(2)).isFalse();
        assertThat(GatePolicy.of(4).sourceMayHoldMore(100)).isTrue();
    }

    @Test
    void payloadsSurviveTemporalsDataConverter() {
        DataConverter converter = GlobalDataConverter.get();
        GateInput input = new GateInput(
                "duckdb",
                3,
                new GatePolicy(4, 2, new TreeMap<>(Map.of("experiments", 3))),
                Duration.ofMinutes(1),
                1000,
                List.of(new PermitRequest(
                        "a",
                        9,
                        Instant.parse("2026-01-01T00:00:02Z"),
                        "reports",
                        Instant.parse("2026-01-01T00:00:00Z"))),
                List.of(new PermitRequest("b", 1, Instant.parse("2026-01-01T00:00:01Z"))));
        GateSnapshot snapshot = GateSnapshot.of("duckdb", 3, List.of("a"), List.of("b"));

        assertThat(converter.fromPayload(converter.toPayload(input).orElseThrow(), GateInput.class, GateInput.class))
                .isEqualTo(input);
        assertThat(converter.fromPayload(
                        converter.toPayload(snapshot).orElseThrow(), GateSnapshot.class, GateSnapshot.class))
                .isEqualTo(snapshot);
    }
}
