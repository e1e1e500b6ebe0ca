package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.activities.duckdb.DuckDbRunner;
import dev.hubble.core.security.JobTokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * SQL jobs through the real REST API of the real local stack: Temporal test server, Redis,
 * DuckDB and the embedded S3 (links and their refusal: {@link S3ResultsEndToEndTest}).
 */
class SqlJobEndToEndTest {

    private final LocalStack stack = LocalStack.get();

    @Test
    void csvResultDownloadsThroughItsSignedLink() {
        HttpResponse<String> accepted = stack.post(
                "/v1/jobs",
                Map.of("query", "select 42 as answer", "driver", "duckdb", "format", "csv", "source", "e2e-csv"),
                Map.of());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = stack.read(accepted.body()).get("jobId").asText();
        assertThat(accepted.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/v1/jobs/" + jobId));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");

        JsonNode file = job.at("/result/files/0");
        assertThat(job.at("/result/format").asText()).isEqualTo("csv");
        assertThat(file.get("sizeBytes").asLong()).isPositive();
        assertThat(file.get("expiresAt").asText()).isNotBlank();
        HttpResponse<byte[]> download = stack.download(file.get("url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");
    }

    @Test
    void parquetResultReadsBackWithDuckDb(@TempDir Path tmp) throws Exception {
        String jobId = stack.submit(Map.of(
                "query",
                "select 42 as answer, 'forty-two' as words from range(3)",
                "driver",
                "duckdb",
                "format",
                "parquet",
                "source",
                "e2e-parquet"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");

        HttpResponse<byte[]> download =
                stack.download(job.at("/result/files/0/url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        Path parquet = Files.write(tmp.resolve("result.parquet"), download.body());
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows =
                        statement.executeQuery("select count(*), min(answer), min(words) from '" + parquet + "'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(3);
            assertThat(rows.getInt(2)).isEqualTo(42);
            assertThat(rows.getString(3)).isEqualTo("forty-two");
        }
    }

    @Test
    void sqlErrorFailsTheJobWithDuckDbsMessage() {
        String syntax = stack.submit(Map.of("query", "selec 42", "driver", "duckdb", "source", "e2e-errors"));
        String table =
                stack.submit(Map.of("query", "select * from events", "driver", "duckdb", "source", "e2e-errors"));

        assertThat(stack.awaitState(syntax, "FAILED").at("/error/message").asText())
                .startsWith("Parser Error: syntax error at or near \"selec\"");
        assertThat(stack.awaitState(table, "FAILED").at("/error/message").asText())
                .startsWith("Catalog Error: Table with name events does not exist");
    }

    @Test
    void queriesCannotReadLocalFilesByDefault() {
        String jobId = stack.submit(
                Map.of("query", "select * from read_csv('/etc/passwd')", "driver", "duckdb", "source", "e2e-sandbox"));

        assertThat(stack.awaitState(jobId, "FAILED").at("/error/message").asText())
                .startsWith("Permission Error");
    }

    @Test
    void sameIdempotencyKeyYieldsTheSameJob() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body =
                Map.of("query", "select 7 as seven", "driver", "duckdb", "source", "e2e-idempotent-" + key);

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = stack.post("/v1/jobs", body, Map.of("Idempotency-Key", key));
            assertThat(response.statusCode()).isEqualTo(202);
            ids.add(stack.read(response.body()).get("jobId").asText());
        }
        String jobId = ids.iterator().next();
        stack.awaitState(jobId, "SUCCEEDED");
        HttpResponse<String> again = stack.post("/v1/jobs", body, Map.of("Idempotency-Key", key));

        assertThat(ids).hasSize(1);
        assertThat(stack.read(again.body()).get("jobId").asText()).isEqualTo(jobId);
        assertThat(stack.read(again.body()).get("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode listed =
                stack.read(stack.get("/v1/jobs?source=e2e-idempotent-" + key).body());
        assertThat(listed.get("jobs")).hasSize(1);
    }

    @Test
    void cancelStopsARunningQuery() throws IOException {
        String jobId = stack.submit(Map.of("query", LONG_QUERY, "driver", "duckdb", "source", "e2e-cancel"));
        stack.awaitState(jobId, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> duckdb().running() > 0);

        HttpResponse<String> cancel = stack.delete("/v1/jobs/" + jobId);

        assertThat(cancel.statusCode()).isEqualTo(202);
        JsonNode job = stack.awaitState(jobId, "CANCELLED", Duration.ofSeconds(10));
        assertThat(job.has("result")).isFalse();
        assertThat(duckdb().running()).as("queries still executing").isZero();
        assertThat(resultFilesOf(jobId)).isEmpty();
        assertThat(stack.delete("/v1/jobs/" + jobId).statusCode())
                .as("cancelling a finished job")
                .isEqualTo(409);
    }

    @Test
    void jobThatRunsPastItsTimeoutIsKilled() throws IOException {
        String jobId = stack.submit(
                Map.of("query", LONG_QUERY, "driver", "duckdb", "source", "e2e-timeout", "timeout", "PT2S"));

        JsonNode job = stack.awaitState(jobId, "TIMED_OUT", Duration.ofSeconds(12));

        assertThat(job.at("/error/message").asText()).contains("PT2S");
        assertThat(duckdb().running()).as("queries still executing").isZero();
        assertThat(resultFilesOf(jobId)).isEmpty();
    }

    /** A query that runs for minutes unless it is stopped. */
    private static final String LONG_QUERY = "select count(*) from range(100000000000) a where a.range % 7 = 3";

    private DuckDbRunner duckdb() {
        return stack.context.getBean(DuckDbRunner.class);
    }

    /** Result files of the job anywhere under the stack's data directory. */
    private List<Path> resultFilesOf(String jobId) throws IOException {
        try (var files = Files.walk(stack.dataDir)) {
            return files.filter(f -> f.toString().contains(jobId)
                            && f.getFileName().toString().startsWith("result"))
                    .toList();
        }
    }

    @Test
    void statusFallsBackToTheWorkflowWhenTheStoreHasNoEntry() {
        String jobId = stack.submit(Map.of("query", "select 1 as one", "driver", "duckdb", "source", "e2e-fallback"));
        stack.awaitState(jobId, "SUCCEEDED");

        stack.context.getBean(StringRedisTemplate.class).delete("hubble:job:" + jobId);

        JsonNode job = stack.read(stack.get("/v1/jobs/" + jobId).body());
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/result/files/0/url").asText()).contains("/jobs/" + jobId + "/result.csv?");
    }

    @Test
    void listingFiltersBySourceAndStateNewestFirst() {
        String source = "e2e-list-" + UUID.randomUUID();
        String first = stack.submit(Map.of("query", "select 1", "driver", "duckdb", "source", source));
        String second = stack.submit(Map.of("query", "selec 2", "driver", "duckdb", "source", source));
        stack.awaitState(first, "SUCCEEDED");
        stack.awaitState(second, "FAILED");

        JsonNode all = stack.read(stack.get("/v1/jobs?source=" + source).body()).get("jobs");
        JsonNode failed = stack.read(
                        stack.get("/v1/jobs?source=" + source + "&state=FAILED").body())
                .get("jobs");

        assertThat(all).extracting(j -> j.get("jobId").asText()).containsExactly(second, first);
        assertThat(failed).extracting(j -> j.get("jobId").asText()).containsExactly(second);
    }

    @Test
    void badRequestsGetProblemDetails() {
        HttpResponse<String> unknownDriver =
                stack.post("/v1/jobs", Map.of("query", "select 1", "driver", "oracle", "source", "e2e"), Map.of());
        HttpResponse<String> malformed = stack.post("/v1/jobs", "{\"query\": ", Map.of());
        HttpResponse<String> unknownJob = stack.get("/v1/jobs/" + UUID.randomUUID());

        assertThat(unknownDriver.statusCode()).isEqualTo(400);
        assertThat(unknownDriver.body()).contains("driver").contains("duckdb");
        assertThat(unknownDriver.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(unknownJob.statusCode()).isEqualTo(404);
    }

    @Test
    void reportedErrorIsRefusedForAFinishedJob() {
        String jobId = stack.submit(Map.of("query", "select 1", "driver", "duckdb", "source", "e2e-report"));
        stack.awaitState(jobId, "SUCCEEDED");

        String token = stack.context.getBean(JobTokens.class).issue(jobId, Duration.ofHours(1));
        HttpResponse<String> report = stack.post(
                "/v1/jobs/" + jobId + "/errors",
                Map.of("message", "too late"),
                Map.of("Authorization", "Bearer " + token));

        assertThat(report.statusCode()).isEqualTo(409);
    }
}
