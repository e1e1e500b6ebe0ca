package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.trinodev.TrinoServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino SQL jobs through the REST API of the local stack with its real Trino 483 (a child process
 * on Java 25), results in its S3 behind presigned links: the trino driver end to end. One stack
 * and one Trino for the class, queries one at a time.
 */
class TrinoJobEndToEndTest {

    private static final Duration TRINO_JOB = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String Q1 = """
            select returnflag, linestatus,
                   sum(quantity) as sum_qty,
                   sum(extendedprice * (1 - discount)) as sum_disc_price,
                   avg(discount) as avg_disc,
                   count(*) as count_order
            from lineitem
            where shipdate <= date '1998-12-01' - interval '90' day
            group by returnflag, linestatus
            order by returnflag, linestatus
            """;

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static TrinoServerProcess trino;

    @BeforeAll
    static void startStack() {
        long started = System.nanoTime();
        stack = LocalStack.start(dataDir, "--hubble.dev.trino=true");
        trino = stack.context.getBean(LocalTrino.class).trino(Duration.ofMinutes(3));
        System.out.printf(
                "Local stack with Trino ready after %d ms (Trino itself: %d ms, %d MB resident)%n",
                (System.nanoTime() - started) / 1_000_000,
                trino.readyAfter().toMillis(),
                trino.residentBytes().orElse(0L) >> 20);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void selectFortyTwoDownloadsAsCsvThroughItsPresignedLinkAndShowsTheTrinoQuery() {
        long started = System.nanoTime();
        String jobId = stack.submit(
                Map.of("query", "select 42 as answer", "driver", "trino", "format", "csv", "source", "e2e-trino"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", TRINO_JOB);
        System.out.printf("Trino select 42: submit to SUCCEEDED in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(job.at("/result/location").asText()).startsWith("s3://");
        assertThat(job.at("/result/files")).hasSize(1);
        String url = job.at("/result/files/0/url").asText();
        assertThat(url).startsWith(stack.s3()).contains("X-Amz-Signature=");
        HttpResponse<byte[]> download = stack.download(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");
        String queryId = job.at("/remote/engineId").asText();
        assertThat(queryId).matches("\\d{8}_\\d{6}_\\d{5}_\\w+");
        assertThat(job.at("/remote/uiUrl").asText()).isEqualTo(trino.url() + "/ui#/queries/" + queryId);
        assertThat(job.at("/remote/engineState").asText()).isEqualTo("FINISHED");
        JsonNode query = trinoQuery(queryId);
        assertThat(query.path("state").asText()).isEqualTo("FINISHED");
        assertThat(query.path("session").path("clientTags").toString()).contains("hubble-job=" + jobId);
    }

    @Test
    void tpchQ1OnTinyReadsBackAsParquetWithTrinosFigures(@TempDir Path downloads) throws Exception {
        String jobId = stack.submit(Map.of("query", Q1, "driver", "trino", "format", "parquet", "source", "e2e-trino"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", TRINO_JOB);

        assertThat(job.at("/result/files")).hasSize(1);
        assertThat(job.at("/result/files/0/name").asText()).isEqualTo("result.parquet");
        HttpResponse<byte[]> download =
                stack.download(job.at("/result/files/0/url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        Path parquet = Files.write(downloads.resolve("q1.parquet"), download.body());
        List<String> read = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select returnflag, linestatus, sum_qty, count_order from '" + parquet + "'")) {
            while (rows.next()) {
                read.add(rows.getString(1) + rows.getString(2) + " " + rows.getDouble(3) + " " + rows.getLong(4));
            }
        }
        // The same query as Trino itself answers it, through its protocol without Hubble.
        List<String> trinos = new ArrayList<>();
        for (JsonNode row : trinoRows(Q1.replace("from lineitem", "from tpch.tiny.lineitem"))) {
            trinos.add(row.get(0).asText() + row.get(1).asText() + " "
                    + row.get(2).asDouble() + " " + row.get(5).asLong());
        }
        assertThat(read).hasSize(4).isEqualTo(trinos);
    }

    @Test
    void aSyntaxErrorAndAnUnknownTableFailTheJobInTrinosWords() {
        String syntax = stack.submit(Map.of("query", "selec 1", "driver", "trino", "source", "e2e-trino"));
        String table =
                stack.submit(Map.of("query", "select * from tpch.tiny.nope", "driver", "trino", "source", "e2e-trino"));

        assertThat(stack.awaitState(syntax, "FAILED", TRINO_JOB)
                        .at("/error/message")
                        .asText())
                .startsWith("SYNTAX_ERROR: line 1:1: mismatched input 'selec'");
        assertThat(stack.awaitState(table, "FAILED", TRINO_JOB)
                        .at("/error/message")
                        .asText())
                .isEqualTo("TABLE_NOT_FOUND: line 1:15: Table 'tpch.tiny.nope' does not exist");
    }

    @Test
    void aStatementThatChangesDataIsRefusedWithA400() {
        HttpResponse<String> refused = stack.post(
                "/v1/jobs",
                Map.of(
                        "query", "create table memory.default.t as select 1 as x",
                        "driver", "trino",
                        "source", "e2e-trino"),
                Map.of());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("read-only", "CREATE");
    }

    @Test
    void cancelKillsTheQueryInTrinoConfirmedAndListsNoResult() {
        String jobId = stack.submit(
                Map.of("query", "select * from tpch.sf100.lineitem", "driver", "trino", "source", "e2e-trino"));
        JsonNode running = stack.awaitState(jobId, "RUNNING", TRINO_JOB);
        String queryId = running.at("/remote/engineId").asText();
        assertThat(queryId).isNotBlank();

        HttpResponse<String> cancel = stack.delete("/v1/jobs/" + jobId);

        assertThat(cancel.statusCode()).isEqualTo(202);
        JsonNode job = stack.awaitState(jobId, "CANCELLED", Duration.ofSeconds(30));
        assertThat(job.has("result")).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode query = trinoQuery(queryId);
            assertThat(query.path("state").asText()).isEqualTo("FAILED");
            assertThat(query.path("errorCode").path("name").asText()).isEqualTo("USER_CANCELED");
        });
    }

    @Test
    void aJobPastItsTimeoutIsKilledInTrino() {
        String jobId = stack.submit(Map.of(
                "query",
                "select * from tpch.sf100.lineitem",
                "driver",
                "trino",
                "source",
                "e2e-trino",
                "timeout",
                "PT5S"));

        JsonNode job = stack.awaitState(jobId, "TIMED_OUT", Duration.ofSeconds(60));

        assertThat(job.has("result")).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(trinoQueriesOf(jobId))
                        .as("the job's queries in Trino")
                        .isNotEmpty()
                        .allSatisfy(query -> assertThat(query.path("state").asText() + " "
                                        + query.path("errorCode").path("name").asText())
                                .isEqualTo("FAILED USER_CANCELED")));
    }

    /** What Trino says of each query tagged with the job. */
    private static List<JsonNode> trinoQueriesOf(String jobId) {
        List<JsonNode> tagged = new ArrayList<>();
        for (JsonNode query : stack.read(trinoGet(URI.create(trino.url() + "/v1/query")))) {
            if (query.path("session").path("clientTags").toString().contains("hubble-job=" + jobId)) {
                tagged.add(trinoQuery(query.path("queryId").asText()));
            }
        }
        return tagged;
    }

    private static JsonNode trinoQuery(String queryId) {
        return stack.read(trinoGet(URI.create(trino.url() + "/v1/query/" + queryId)));
    }

    /** The rows of {@code sql} as Trino answers them, through its client protocol. */
    private static List<JsonNode> trinoRows(String sql) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(trino.url() + "/v1/statement"))
                .header("X-Trino-User", "e2e")
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        JsonNode page =
                stack.read(HTTP.send(post, HttpResponse.BodyHandlers.ofString()).body());
        List<JsonNode> rows = new ArrayList<>();
        while (true) {
            assertThat(page.has("error")).as(page.path("error").toString()).isFalse();
            page.path("data").forEach(rows::add);
            if (!page.hasNonNull("nextUri")) {
                return rows;
            }
            page = stack.read(trinoGet(URI.create(page.get("nextUri").asText())));
        }
    }

    private static String trinoGet(URI uri) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri)
                                    .header("X-Trino-User", "e2e")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Trino at " + uri, e);
        }
    }
}
