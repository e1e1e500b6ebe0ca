package dev.hubble.activities.localpython;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example jobs in {@code examples/python-jobs}, run through the driver with the helper from
 * {@code clients/python}, against a fake of Hubble's API on 127.0.0.1.
 */
class ExamplePythonJobsTest {

    private static final Path EXAMPLES =
            Path.of("../examples/python-jobs").toAbsolutePath().normalize();
    private static final Path HELPER =
            Path.of("../clients/python").toAbsolutePath().normalize();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path results;

    private final ObjectMapper json = new ObjectMapper();
    private final JobTokens tokens = new JobTokens(new JobTokenProperties("0123456789abcdef0123456789abcdef"));
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> pushes = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> childPolls = new ConcurrentHashMap<>();
    private HttpServer api;
    private LocalPythonRunner runner;
    private LocalResults store;

    record Call(String method, String path, String authorization, JsonNode body) {}

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/v1/jobs", this::answer);
        api.start();
        URI apiUrl = URI.create("http://127.0.0.1:" + api.getAddress().getPort());
        runner = new LocalPythonRunner(
                new LocalPythonProperties(
                        EXAMPLES, "python3", apiUrl, 20, Duration.ofHours(1), HELPER, Duration.ofSeconds(5), List.of()),
                tokens,
                Clock.systemUTC());
        store = new LocalResults(results);
    }

    @AfterEach
    void stop() {
        runner.destroy();
        api.stop(0);
    }

    @Test
    void helloWritesItsCsv() throws IOException {
        RunHandle handle = runner.submit("job-1", spec("hello", Map.of("name", "Hubble")), store.output("job-1"));

        assertThat(awaitEnd(handle)).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
        assertThat(store.list("job-1")).extracting(ResultFile::name).containsExactly("hello.csv");
        assertThat(Files.readString(Path.of(store.output("job-1")).resolve("hello.csv")))
                .isEqualTo("greeting,job_id\r\n\"hello, Hubble\",job-1\r\n");
    }

    @Test
    void manyFilesWritesAsManyAsItIsAskedFor() {
        RunHandle handle = runner.submit("job-1", spec("many_files", Map.of("count", "12")), store.output("job-1"));

        assertThat(awaitEnd(handle)).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
        assertThat(store.list("job-1"))
                .extracting(ResultFile::name)
                .hasSize(12)
                .startsWith("part-00000.csv")
                .endsWith("part-00011.csv");
    }

    @Test
    void failsEndsWithItsExceptionAsTheError() {
        RunHandle handle = runner.submit("job-1", spec("fails", Map.of("day", "2024-02-29")), store.output("job-1"));

        assertThat(awaitEnd(handle))
                .isEqualTo(new RemoteStatus(RemotePhase.FAILED, "ValueError: no input rows for 2024-02-29"));
        assertThat(runner.diagnostics(handle))
                .hasValueSatisfying(tail -> assertThat(tail).contains("Traceback"));
    }

    @Test
    void reportsErrorPostsItsMessageWithItsOwnTokenThenFails() {
        RunHandle handle = runner.submit("job-1", spec("reports_error", Map.of()), store.output("job-1"));

        assertThat(awaitEnd(handle).phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/v1/jobs/job-1/errors");
            assertThat(tokens.verify("job-1", call.authorization().replaceFirst("^Bearer ", "")))
                    .as(call.authorization())
                    .isTrue();
            assertThat(call.body().get("message").asText()).isEqualTo("upstream export for 2024-01-01 is missing");
            assertThat(call.body().get("detail").asText()).contains("s3://exports/2024-01-01/");
        });
    }

    @Test
    void parentSubmitsTwoDuckDbChildrenAndWaitsForBoth() throws IOException {
        RunHandle handle = runner.submit("job-1", spec("parent", Map.of()), store.output("job-1"));

        assertThat(awaitEnd(handle))
                .as("%s", runner.diagnostics(handle))
                .isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
        List<Call> submissions =
                calls.stream().filter(c -> c.method().equals("POST")).toList();
        assertThat(submissions).hasSize(2).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/v1/jobs");
            assertThat(call.body().get("driver").asText()).isEqualTo("duckdb");
            assertThat(call.body().get("parentJobId").asText()).isEqualTo("job-1");
            assertThat(tokens.verify("job-1", call.authorization().replaceFirst("^Bearer ", "")))
                    .as(call.authorization())
                    .isTrue();
        });
        assertThat(childPolls).containsOnlyKeys("child-1", "child-2");
        assertThat(Files.readAllLines(Path.of(store.output("job-1")).resolve("children.csv")))
                .containsExactly(
                        "child_job_id,query,state,files",
                        "child-1,SELECT 42 AS answer,SUCCEEDED,1",
                        "child-2,\"SELECT range AS n, range * range AS square FROM range(10)\",SUCCEEDED,1");
        assertThat(pushes).as("the helper pushed its phases").containsExactly("RUNNING", "SUCCEEDED");
    }

    @Test
    void sleepsRunsUntilCancelled() {
        RunHandle handle = runner.submit("job-1", spec("sleeps", Map.of()), store.output("job-1"));
        Path stdout = Path.of(store.output("job-1")).resolve(LocalPythonRunner.STDOUT);
        await().atMost(PATIENCE)
                .until(() -> Files.exists(stdout) && Files.readString(stdout).contains("still sleeping"));
        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.RUNNING);

        runner.cancel(handle);

        assertThat(awaitEnd(handle).phase()).isEqualTo(RemotePhase.CANCELLED);
    }

    /** POST /v1/jobs creates child-N; GET /v1/jobs/child-N is RUNNING once, then SUCCEEDED. */
    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/status")) {
                // The helper's progress pushes: answered, and kept apart from what the job asks itself.
                pushes.add(json.readTree(raw).path("phase").asText());
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            calls.add(new Call(
                    method,
                    path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    raw.length == 0 ? null : json.readTree(raw)));
            String answer;
            int status;
            if (method.equals("POST") && path.equals("/v1/jobs")) {
                status = 202;
                answer = "{\"jobId\": \"child-" + (childPolls.size() + 1) + "\", \"state\": \"QUEUED\"}";
                childPolls.put("child-" + (childPolls.size() + 1), new AtomicInteger());
            } else if (method.equals("POST") && path.endsWith("/errors")) {
                status = 202;
                answer = "";
            } else if (method.equals("GET") && childPolls.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                boolean done = childPolls.get(id).incrementAndGet() > 1;
                status = 200;
                answer = done
                        ? "{\"jobId\": \"" + id
                                + "\", \"state\": \"SUCCEEDED\", \"result\": {\"format\": \"csv\", \"files\": ["
                                + "{\"url\": \"http://127.0.0.1/v1/jobs/" + id
                                + "/results/result.csv\", \"sizeBytes\": 3}]}}"
                        : "{\"jobId\": \"" + id + "\", \"state\": \"RUNNING\"}";
            } else {
                status = 404;
                answer = "{\"status\": 404, \"detail\": \"no such job\"}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private RemoteStatus awaitEnd(RunHandle handle) {
        return await().atMost(PATIENCE)
                .until(() -> runner.poll(handle), status -> status.phase().isTerminal());
    }

    private static JobSpec spec(String name, Map<String, String> parameters) {
        return new JobSpec(
                name,
                LocalPythonRunner.DRIVER,
                OutputFormat.CSV,
                "tests",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofMinutes(5),
                parameters,
                null);
    }
}
