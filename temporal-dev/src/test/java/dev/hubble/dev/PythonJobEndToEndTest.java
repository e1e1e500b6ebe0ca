package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Python jobs on the real local stack: the {@code local-python} driver runs the bundled example
 * jobs, which talk back to the API through the {@code hubble_job} helper with their own token.
 */
class PythonJobEndToEndTest {

    private final LocalStack stack = LocalStack.get();

    @Test
    void pythonJobThatSucceedsHandsBackItsCsv() {
        String jobId = stack.submit(Map.of(
                "query",
                "hello",
                "driver",
                "local-python",
                "source",
                "e2e-python",
                "parameters",
                Map.of("name", "Hubble")));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");

        assertThat(job.at("/result/files"))
                .extracting(f -> f.get("name").asText())
                .containsExactly("hello.csv");
        HttpResponse<byte[]> download =
                stack.download(job.at("/result/files/0/url").asText());
        assertThat(new String(download.body(), StandardCharsets.UTF_8))
                .isEqualTo("greeting,job_id\r\n\"hello, Hubble\"," + jobId + "\r\n");
    }

    @Test
    void pythonJobThatRaisesFailsWithTheExceptionMessage() {
        String jobId = stack.submit(Map.of(
                "query",
                "fails",
                "driver",
                "local-python",
                "source",
                "e2e-python",
                "parameters",
                Map.of("day", "2026-11-24")));

        JsonNode job = stack.awaitState(jobId, "FAILED");

        assertThat(job.at("/error/message").asText()).isEqualTo("ValueError: no input rows for 2026-11-24");
        assertThat(job.at("/error/detail").asText()).contains("Traceback");
    }

    @Test
    void errorTheJobReportedWinsOverItsStderr() {
        String jobId = stack.submit(Map.of("query", "reports_error", "driver", "local-python", "source", "e2e-python"));

        JsonNode job = stack.awaitState(jobId, "FAILED");

        assertThat(job.at("/error/message").asText()).isEqualTo("upstream export for 2024-01-01 is missing");
        assertThat(job.at("/error/detail").asText())
                .isEqualTo("looked for s3://exports/2024-01-01/ and found no objects");
    }

    @Test
    void parentJobSubmitsTwoDuckDbChildrenAndWaitsForBoth() {
        String parentId = stack.submit(Map.of("query", "parent", "driver", "local-python", "source", "e2e-python"));

        JsonNode parent = stack.awaitState(parentId, "SUCCEEDED");

        String children = new String(
                stack.download(parent.at("/result/files/0/url").asText()).body(), StandardCharsets.UTF_8);
        List<String> rows = children.lines().skip(1).toList();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).contains(",SUCCEEDED,1"));
        assertThat(parent.get("children"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrderElementsOf(rows.stream()
                        .map(row -> row.substring(0, row.indexOf(',')))
                        .toList());
        for (String row : rows) {
            JsonNode child = stack.read(
                    stack.get("/v1/jobs/" + row.substring(0, row.indexOf(','))).body());
            assertThat(child.get("driver").asText()).isEqualTo("duckdb");
            assertThat(child.get("parentJobId").asText()).isEqualTo(parentId);
        }
    }

    @Test
    void cancelKillsThePythonProcess() {
        String jobId = stack.submit(Map.of("query", "sleeps", "driver", "local-python", "source", "e2e-python"));
        stack.awaitState(jobId, "RUNNING");
        // The job runs in its working directory: its files go to S3 once it succeeded.
        Path jobDir = stack.dataDir.resolve("work").resolve(jobId);
        await().atMost(Duration.ofSeconds(30)).until(() -> !processesIn(jobDir).isEmpty());
        List<ProcessHandle> processes = processesIn(jobDir);

        assertThat(stack.delete("/v1/jobs/" + jobId).statusCode()).isEqualTo(202);

        stack.awaitState(jobId, "CANCELLED");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(processes)
                        .allSatisfy(p ->
                                assertThat(isGone(p)).as("process %d", p.pid()).isTrue()));
    }

    @Test
    void unknownPythonJobIsRefusedAtSubmitWithTheAvailableJobs() {
        HttpResponse<String> response = stack.post(
                "/v1/jobs", Map.of("query", "no_such_job", "driver", "local-python", "source", "e2e-python"), Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("hello").contains("parent").contains("sleeps");
    }

    @Test
    void errorReportNeedsTheJobsOwnToken() {
        String jobId = stack.submit(Map.of(
                "query",
                "sleeps",
                "driver",
                "local-python",
                "source",
                "e2e-python",
                "parameters",
                Map.of("seconds", "5")));

        HttpResponse<String> anonymous =
                stack.post("/v1/jobs/" + jobId + "/errors", Map.of("message", "forged"), Map.of());
        HttpResponse<String> forged = stack.post(
                "/v1/jobs/" + jobId + "/errors",
                Map.of("message", "forged"),
                Map.of("Authorization", "Bearer not-the-token"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(403);
        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");
        assertThat(job.has("error")).isFalse();
        assertThat(job.toString()).doesNotContain("token");
    }

    /** Live processes whose working directory is {@code dir}: a Python job runs in its output directory. */
    private static List<ProcessHandle> processesIn(Path dir) {
        return ProcessHandle.allProcesses().filter(p -> isIn(p, dir)).toList();
    }

    private static boolean isIn(ProcessHandle process, Path dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"))
                    .equals(dir.toRealPath());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Gone, or a zombie waiting to be reaped: either way it no longer runs. */
    private static boolean isGone(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
