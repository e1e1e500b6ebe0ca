package dev.hubble.activities.trino;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpServer;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.trinodev.TrinoServerProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The trino driver against a real Trino 483 (one per test JVM, {@link TrinoServerProcess#shared}),
 * queries one at a time; WireMock only for what one Trino cannot show, a 503.
 */
class TrinoRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Runs for minutes on two cores, streaming rows all along. */
    private static final String LONG = "select * from tpch.sf100.lineitem";

    private static URI trino;

    @TempDir
    Path dir;

    private TrinoRunner runner;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startTrino() {
        trino = TrinoServerProcess.shared().url();
    }

    @AfterEach
    void close() throws Exception {
        if (runner != null) {
            runner.destroy();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void selectFortyTwoIsACsvWithAHeaderAndTheQueryIsTaggedWithTheJob() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        RunHandle handle = submit(jobId, "select 42 as answer", OutputFormat.CSV, Map.of());

        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(Files.readString(output(jobId).resolve("result.csv"))).isEqualTo("answer\n42\n");
        assertThat(end.details()).isNotNull();
        String queryId = end.details().engineId();
        assertThat(end.details().uiUrl()).isEqualTo(trino + "/ui#/queries/" + queryId);
        assertThat(end.details().engineState()).isEqualTo("FINISHED");
        JsonNode query = queryInfo(queryId);
        assertThat(query.path("session").path("clientTags").toString()).contains("hubble-job=" + jobId);
        assertThat(query.path("session").path("source").asText()).isEqualTo("hubble");
        assertThat(runner.logTail(handle, 50)).anyMatch(line -> line.contains(queryId));
    }

    @Test
    void tpchQ1OnTinyIsAParquetFileWithTrinosFigures() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        String q1 = """
                select returnflag, linestatus,
                       sum(quantity) as sum_qty,
                       sum(extendedprice) as sum_base_price,
                       sum(extendedprice * (1 - discount)) as sum_disc_price,
                       avg(discount) as avg_disc,
                       count(*) as count_order
                from lineitem
                where shipdate <= date '1998-12-01' - interval '90' day
                group by returnflag, linestatus
                order by returnflag, linestatus
                """;
        RunHandle handle = submit(jobId, q1, OutputFormat.PARQUET, Map.of("catalog", "tpch", "schema", "tiny"));

        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        Path parquet = output(jobId).resolve("result.parquet");
        assertThat(output(jobId).resolve(ResultWriter.ROWS_FILE)).doesNotExist();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery("select returnflag, linestatus, sum_qty, count_order,"
                        + " typeof(sum_qty), typeof(count_order) from read_parquet('" + parquet + "')")) {
            List<String> read = new ArrayList<>();
            while (rows.next()) {
                read.add(rows.getString(1) + rows.getString(2) + " " + rows.getDouble(3) + " " + rows.getLong(4) + " "
                        + rows.getString(5) + " " + rows.getString(6));
            }
            // Trino's own answer for tpch.tiny (the same query through the protocol, below).
            assertThat(read).hasSize(4);
            assertThat(read)
                    .isEqualTo(trinoRows(trino, q1.replace("from lineitem", "from tpch.tiny.lineitem")).stream()
                            .map(row -> row.get(0).asText() + row.get(1).asText() + " "
                                    + row.get(2).asDouble() + " " + row.get(6).asLong() + " DOUBLE BIGINT")
                            .toList());
        }
    }

    @Test
    void aSyntaxErrorFailsTheJobInTrinosWords() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        RunHandle handle = submit(jobId, "selec 1", OutputFormat.CSV, Map.of());

        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(end.message()).startsWith("SYNTAX_ERROR: line 1:1: mismatched input 'selec'");
        assertThat(end.details().engineState()).isEqualTo("FAILED: SYNTAX_ERROR");
        assertThat(runner.diagnostics(handle))
                .hasValueSatisfying(detail -> assertThat(detail).contains("USER_ERROR"));
        assertThat(output(jobId).resolve("result.csv")).doesNotExist();
    }

    @Test
    void anUnknownTableFailsTheJobInTrinosWords() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        RunHandle handle = submit(jobId(), "select * from tpch.tiny.nope", OutputFormat.CSV, Map.of());

        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(end.message()).isEqualTo("TABLE_NOT_FOUND: line 1:15: Table 'tpch.tiny.nope' does not exist");
    }

    @Test
    void aCancelWhileRowsAreWrittenEndsTheQueryInTrinoAndLeavesNoFile() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        RunHandle handle = submit(jobId, LONG, OutputFormat.CSV, Map.of());
        Path csv = output(jobId).resolve("result.csv");
        awaitTrue(() -> Files.exists(csv) && Files.size(csv) > 100_000, "rows are being written");
        String queryId = runner.poll(handle).details().engineId();

        runner.cancel(handle); // returns once Trino confirmed

        JsonNode query = queryInfo(queryId);
        assertThat(query.path("state").asText()).isEqualTo("FAILED");
        assertThat(query.path("errorCode").path("name").asText()).isEqualTo("USER_CANCELED");
        RemoteStatus cancelled = runner.poll(handle);
        assertThat(cancelled.phase()).isEqualTo(RemotePhase.CANCELLED);
        assertThat(cancelled.details().engineState()).isEqualTo("FAILED: USER_CANCELED");
        assertThat(csv).doesNotExist();
    }

    @Test
    void aCancelRightAfterTheSubmitStillEndsTheQueryInTrino() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        RunHandle handle = submit(jobId, LONG, OutputFormat.CSV, Map.of());

        runner.cancel(handle); // the reader may not have dispatched the statement yet

        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.CANCELLED);
        Thread.sleep(1_000); // a statement dispatched by a request still in flight would run by now
        assertThat(queriesOf(jobId))
                .as("the job's queries in Trino")
                .allSatisfy(query -> assertThat(query.path("state").asText() + " "
                                + query.path("errorCode").path("name").asText())
                        .isEqualTo("FAILED USER_CANCELED"));
    }

    @Test
    void aResultLargerThanTheLimitFailsTheJobCancelsTheQueryAndKeepsNoFile() throws Exception {
        runner = runner(trino, DataSize.ofKilobytes(64));
        String jobId = jobId();
        RunHandle handle = submit(jobId, LONG, OutputFormat.CSV, Map.of());

        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(end.message()).contains("hubble.drivers.trino.max-result-bytes");
        assertThat(output(jobId).resolve("result.csv")).doesNotExist();
        String state = queryInfo(end.details().engineId()).path("state").asText();
        assertThat(state).isIn("FAILED", "FINISHED");
    }

    @Test
    void aLostSubmitAnswerStillLeavesOneQueryThatRuns() throws Exception {
        // A proxy that hands the first POST to Trino, then loses Trino's answer (503).
        AtomicBoolean lost = new AtomicBoolean();
        URI proxy = proxy(exchange -> exchange.equals("POST /v1/statement") && !lost.getAndSet(true));
        runner = runner(proxy, DataSize.ofGigabytes(1));
        String jobId = jobId();

        RunHandle handle = submit(jobId, "select count(*) as n from tpch.tiny.lineitem", OutputFormat.CSV, Map.of());
        RemoteStatus end = awaitEnd(handle);

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(Files.readString(output(jobId).resolve("result.csv"))).isEqualTo("n\n60175\n");
        // Trino dispatches a statement only once its client follows the first nextUri, so the
        // statement whose answer was lost never ran; had it, the second start would have
        // cancelled it first (see aWorkerThatDoesNotRunTheQueryRunsItAgainAndCancelsTheOrphan).
        assertThat(queriesOf(jobId))
                .as("the job's queries in Trino")
                .extracting(
                        q -> q.path("queryId").asText() + " " + q.path("state").asText())
                .containsExactly(end.details().engineId() + " FINISHED");
    }

    @Test
    void aCoordinatorAnswering503IsTriedAgain() throws Exception {
        WireMockServer wiremock =
                new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        closeables.add(wiremock::stop);
        wiremock.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(trino.toString())));
        wiremock.stubFor(post(urlEqualTo("/v1/statement"))
                .inScenario("overloaded")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        runner = runner(URI.create(wiremock.baseUrl()), DataSize.ofGigabytes(1));
        String jobId = jobId();

        RemoteStatus end = awaitEnd(submit(jobId, "select 7 as seven", OutputFormat.CSV, Map.of()));

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(Files.readString(output(jobId).resolve("result.csv"))).isEqualTo("seven\n7\n");
        wiremock.verify(2, postRequestedFor(urlEqualTo("/v1/statement")));
    }

    @Test
    void withThePrestoHeaderPrefixTheProtocolSpeaksPrestoDb() throws Exception {
        WireMockServer presto =
                new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        presto.start();
        closeables.add(presto::stop);
        String base = presto.baseUrl();
        presto.stubFor(get(urlEqualTo("/v1/query")).willReturn(okJson("[]")));
        presto.stubFor(post(urlEqualTo("/v1/statement"))
                .willReturn(okJson("{\"id\":\"q1\",\"infoUri\":\"" + base + "/ui/query.html?q1\",\"nextUri\":\"" + base
                        + "/v1/statement/q1/1\",\"stats\":{\"state\":\"QUEUED\"}}")));
        presto.stubFor(get(urlEqualTo("/v1/statement/q1/1"))
                .willReturn(okJson("{\"id\":\"q1\",\"columns\":[{\"name\":\"answer\",\"type\":\"integer\"}],"
                        + "\"data\":[[42]],\"stats\":{\"state\":\"FINISHED\"}}")));
        runner = new TrinoRunner(
                new TrinoProperties(
                        URI.create(base),
                        "hubble",
                        null,
                        null,
                        "hive",
                        null,
                        List.of(),
                        List.of(),
                        Map.of(),
                        "hubble",
                        "X-Presto-",
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        DataSize.ofGigabytes(1),
                        Duration.ofHours(1)),
                JSON,
                Clock.systemUTC());
        String jobId = jobId();

        RemoteStatus end = awaitEnd(submit(jobId, "select 42 as answer", OutputFormat.CSV, Map.of()));

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(Files.readString(output(jobId).resolve("result.csv"))).isEqualTo("answer\n42\n");
        presto.verify(postRequestedFor(urlEqualTo("/v1/statement"))
                .withHeader("X-Presto-User", equalTo("hubble"))
                .withHeader("X-Presto-Catalog", equalTo("hive"))
                .withHeader("X-Presto-Client-Tags", equalTo("hubble-job=" + jobId))
                .withoutHeader("X-Trino-User"));
    }

    @Test
    void aWorkerThatDoesNotRunTheQueryRunsItAgainAndCancelsTheOrphan() throws Exception {
        runner = runner(trino, DataSize.ofGigabytes(1));
        String jobId = jobId();
        RunHandle handle = submit(jobId, "select count(*) as n from tpch.sf1.lineitem", OutputFormat.CSV, Map.of());
        String first = runner.poll(handle).details().engineId();
        // Another worker process polls: it knows nothing of the query, which nobody reads any more.
        TrinoRunner other = runner(trino, DataSize.ofGigabytes(1));
        closeables.add(other::destroy);
        // Lost once Trino runs it (a statement whose reader never asked for its rows never runs).
        awaitTrue(() -> runner.poll(handle).phase() == RemotePhase.RUNNING, "the first query runs");
        runner.loseForTest(jobId);

        RemoteStatus end = awaitEnd(other, handle);

        assertThat(end.phase()).as(end.message()).isEqualTo(RemotePhase.SUCCEEDED);
        assertThat(end.details().engineId()).isNotEqualTo(first);
        assertThat(Files.readString(output(jobId).resolve("result.csv"))).isEqualTo("n\n6001215\n");
        // Cancelled before the rerun started (or by its sweeps, had the lost worker's last request
        // reached Trino only afterwards).
        awaitTrue(
                () -> {
                    JsonNode orphan = queryInfo(first);
                    return (orphan.path("state").asText() + " "
                                    + orphan.path("errorCode").path("name").asText())
                            .equals("FAILED USER_CANCELED");
                },
                "the orphan query is cancelled in Trino");
    }

    @Test
    void statementsThatChangeDataAndCatalogsOutsideTheAllowListAreRefusedAtSubmit() {
        runner = new TrinoRunner(properties(trino, DataSize.ofGigabytes(1), List.of("tpch")), JSON, Clock.systemUTC());

        assertThatThrownBy(() -> submit(jobId(), "insert into memory.default.t values 1", OutputFormat.CSV, Map.of()))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() ->
                        submit(jobId(), "select 1", OutputFormat.CSV, Map.of("catalog", "memory", "schema", "default")))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("memory is not one the trino driver allows");
    }

    private TrinoRunner runner(URI url, DataSize maxResult) {
        return new TrinoRunner(properties(url, maxResult, List.of()), JSON, Clock.systemUTC());
    }

    /** The driver's settings for tests: {@code url}, at most {@code maxResult}, short timeouts. */
    static TrinoProperties properties(URI url, DataSize maxResult, List<String> allowedCatalogs) {
        return new TrinoProperties(
                url,
                "hubble",
                null,
                null,
                allowedCatalogs.isEmpty() ? null : allowedCatalogs.get(0),
                allowedCatalogs.isEmpty() ? null : "tiny",
                allowedCatalogs,
                List.of(),
                Map.of(),
                "hubble",
                "X-Trino-",
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                maxResult,
                Duration.ofHours(1));
    }

    private RunHandle submit(String jobId, String query, OutputFormat format, Map<String, String> parameters)
            throws Exception {
        Path out = Files.createDirectories(output(jobId));
        JobSpec spec = new JobSpec(
                query, "trino", format, "test", null, null, null, 5, Duration.ofMinutes(5), parameters, null);
        return runner.submit(jobId, spec, out.toUri());
    }

    private Path output(String jobId) {
        return dir.resolve(jobId);
    }

    private static String jobId() {
        return "trino-" + UUID.randomUUID();
    }

    private RemoteStatus awaitEnd(RunHandle handle) throws InterruptedException {
        return awaitEnd(runner, handle);
    }

    private static RemoteStatus awaitEnd(TrinoRunner runner, RunHandle handle) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            RemoteStatus status = runner.poll(handle);
            if (status.phase().isTerminal() || System.nanoTime() > giveUpAt) {
                return status;
            }
            runner.awaitChange(handle, Duration.ofMillis(200));
        }
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > giveUpAt) {
                throw new AssertionError("not within a minute: " + what);
            }
            Thread.sleep(20);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static JsonNode queryInfo(String queryId) throws Exception {
        return JSON.readTree(fetch(trino.resolve("/v1/query/" + queryId)));
    }

    private static List<JsonNode> queriesOf(String jobId) throws Exception {
        List<JsonNode> tagged = new ArrayList<>();
        for (JsonNode query : JSON.readTree(fetch(trino.resolve("/v1/query")))) {
            if (query.path("session").path("clientTags").toString().contains("hubble-job=" + jobId)) {
                tagged.add(queryInfo(query.path("queryId").asText()));
            }
        }
        return tagged;
    }

    /** The rows of {@code sql} on {@code trino}, through the protocol, without the driver. */
    static List<JsonNode> trinoRows(URI trino, String sql) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(trino.resolve("/v1/statement"))
                        .header("X-Trino-User", "test")
                        .POST(HttpRequest.BodyPublishers.ofString(sql))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> rows = new ArrayList<>();
        JsonNode page = JSON.readTree(answer.body());
        while (true) {
            page.path("data").forEach(rows::add);
            assertThat(page.has("error")).as(page.path("error").toString()).isFalse();
            if (!page.hasNonNull("nextUri")) {
                return rows;
            }
            page = JSON.readTree(fetch(URI.create(page.get("nextUri").asText())));
        }
    }

    private static String fetch(URI uri) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .header("X-Trino-User", "test")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private interface Loses {
        boolean answer(String exchange);
    }

    /**
     * A plain HTTP proxy in front of Trino whose answer is replaced by a 503 when {@code loses}
     * says so (after Trino got the request).
     */
    private URI proxy(Loses loses) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(
                                trino.resolve(exchange.getRequestURI().toString()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.regionMatches(true, 0, "X-Trino-", 0, 8) || name.equalsIgnoreCase("Content-Type")) {
                        values.forEach(value -> forward.header(name, value));
                    }
                });
                HttpResponse<byte[]> answer;
                try {
                    answer = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (loses.answer(exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getPath())) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                answer.headers()
                        .firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                exchange.sendResponseHeaders(
                        answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                if (answer.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                }
            }
        });
        server.start();
        closeables.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
