package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The design's proof on a stack of its own: Python parents (2 at a time) that each wait for two
 * SQL children (1 at a time) all finish, because each driver has its own gate and worker pool.
 * (The same scenario with one gate shared by both drivers deadlocks: see the workflow-level
 * {@code AdmissionDeadlockTest}.)
 */
class AdmissionEndToEndTest {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws IOException {
        stack = LocalStack.start(
                Files.createTempDirectory("hubble-admission-test"),
                "--hubble.drivers.local-python.concurrency=2",
                "--hubble.drivers.duckdb.concurrency=1");
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void fourParentsWithTwoChildrenEachAllSucceedUnderTightLimits() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parents.add(stack.submit(Map.of("query", "parent", "driver", "local-python", "source", "admission")));
        }

        List<String> children = new ArrayList<>();
        for (String parentId : parents) {
            JsonNode parent = stack.awaitState(parentId, "SUCCEEDED", java.time.Duration.ofMinutes(3));
            assertThat(parent.get("children")).hasSize(2);
            parent.get("children").forEach(child -> children.add(child.asText()));
        }
        assertThat(children)
                .hasSize(8)
                .doesNotHaveDuplicates()
                .allSatisfy(child -> assertThat(
                                stack.read(stack.get("/v1/jobs/" + child).body())
                                        .get("state")
                                        .asText())
                        .isEqualTo("SUCCEEDED"));

        String metrics = stack.get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("hubble_jobs_waiting{driver=\"duckdb\"}")
                .contains("hubble_jobs_running{driver=\"local-python\"}")
                .contains("hubble_jobs_submitted_total{driver=\"duckdb\"} 8.0")
                .contains("hubble_jobs_finished_total{driver=\"local-python\",state=\"SUCCEEDED\"} 4.0")
                .contains("hubble_jobs_duration_seconds_bucket{driver=\"duckdb\",state=\"SUCCEEDED\"");
    }
}
