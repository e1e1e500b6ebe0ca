package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an operator reads about one job, through the real API of the real local stack: its log and its timeline. */
class OperatorViewsEndToEndTest {

    private final LocalStack stack = LocalStack.get();

    @Test
    void duckDbJobShowsItsQueryAndOutcomeInItsLog() {
        String jobId = stack.submit(Map.of("query", "select 42 as answer", "driver", "duckdb", "source", "e2e-log"));
        stack.awaitState(jobId, "SUCCEEDED");

        HttpResponse<String> log = stack.get("/v1/jobs/" + jobId + "/log?lines=50");

        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(log.body()).contains("  select 42 as answer").containsPattern("SUCCEEDED after \\d+ ms\n$");
    }

    @Test
    void pythonJobShowsItsStdoutInItsLog() {
        String jobId = stack.submit(Map.of("query", "hello", "driver", "local-python", "source", "e2e-log"));
        stack.awaitState(jobId, "SUCCEEDED");

        HttpResponse<String> log = stack.get("/v1/jobs/" + jobId + "/log");

        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).isEqualTo("==> stdout <==\nwrote hello.csv for world\n");
    }

    @Test
    void logRequestsThatCannotBeAnsweredAreProblems() {
        String jobId = stack.submit(Map.of("query", "select 1", "driver", "duckdb", "source", "e2e-log"));

        assertThat(stack.get("/v1/jobs/" + jobId + "/log?lines=0").statusCode()).isEqualTo(400);
        assertThat(stack.get("/v1/jobs/" + UUID.randomUUID() + "/log").statusCode())
                .isEqualTo(404);
        assertThat(stack.get("/v1/jobs/" + UUID.randomUUID() + "/history").statusCode())
                .isEqualTo(404);
    }

    @Test
    void timelineTellsAJobsStory() {
        String jobId = stack.submit(Map.of("query", "selec 1", "driver", "duckdb", "source", "e2e-history"));
        stack.awaitState(jobId, "FAILED");
        // The final state is stored inside the workflow task that decides it; the history has it
        // once that task (and the run) completed.
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> stack.get("/v1/jobs/" + jobId + "/history"),
                        r -> r.statusCode() == 200 && r.body().contains("\"workflow-completed\""));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode history = stack.read(response.body());
        List<String> kinds = new ArrayList<>();
        history.get("entries").forEach(e -> kinds.add(e.get("kind").asText()));
        // QUEUED is recorded in the background, in the same workflow task that asks for the permit;
        // the permit goes back alongside the final transition, so either may come first.
        assertThat(kinds)
                .containsSubsequence(
                        "workflow-started",
                        "permit-requested",
                        "permit-granted",
                        "activity-failed",
                        "permit-released",
                        "workflow-completed")
                .containsSubsequence("activity-failed", "transition", "workflow-completed");
        List<String> states = new ArrayList<>();
        history.get("entries").forEach(e -> {
            if (e.get("kind").asText().equals("transition")) {
                states.add(e.at("/details/state").asText());
            }
        });
        assertThat(states).containsExactly("QUEUED", "FAILED");
        assertThat(response.body()).contains("Parser Error");
    }
}
