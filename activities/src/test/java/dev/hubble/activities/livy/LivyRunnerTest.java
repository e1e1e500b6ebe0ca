package dev.hubble.activities.livy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spark driver against Livy's REST API as Livy on YARN answers it (WireMock). */
class LivyRunnerTest {

    @RegisterExtension
    static WireMockExtension livy = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobTokens TOKENS =
            new JobTokens(new JobTokenProperties("a-test-secret-of-at-least-32-characters"));
    private static final String NAME = "hubble-job-1";
    private static final Duration VANISHED_AFTER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private URI output;
    private LivyRunner runner;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T06:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        output = Files.createDirectories(dir.resolve("jobs/job-1")).toUri();
        runner = runner(properties(Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }

    @Test
    void theHealthCheckAsksLivyForItsBatchesAndFailsWhenLivyDoesNotAnswer() {
        livy.stubFor(get(urlEqualTo("/batches?from=0&size=0"))
                .willReturn(okJson("{\"from\":0,\"total\":3,\"sessions\":[]}")));

        assertThat(runner.checkEngine()).containsEntry("batches", 3).containsKey("url");

        livy.stubFor(
                get(urlEqualTo("/batches?from=0&size=0")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(runner::checkEngine).hasMessageContaining("503");
    }

    @Test
    void submitStagesTheJobInItsLocationAndPostsABatchThatCarriesNoToken() throws Exception {
        LivyProperties properties = new LivyProperties(
                URI.create(livy.baseUrl()),
                URI.create("s3://jars/hubble-spark-job.jar"),
                "dev.hubble.sparkjob.SparkJob",
                Map.of("spark.sql.adaptive.enabled", "true"),
                "analytics",
                "etl",
                "2g",
                2,
                "4g",
                3,
                5,
                "hubble",
                "hubble-user",
                "pa55word",
                URI.create("https://hubble.example/"),
                "hubble-",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                50,
                Duration.ofSeconds(5));
        livy.stubFor(
                get("/batches/" + NAME).willReturn(aResponse().withStatus(404).withBody("{\"msg\":\"not found\"}")));
        livy.stubFor(post("/batches")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(batch(7, "starting", null))));

        RunHandle handle =
                runner(properties).submit("job-1", spec("select 42 as answer", OutputFormat.PARQUET), output);

        assertThat(handle.driver()).isEqualTo("spark");
        assertThat(handle.remoteId()).isEqualTo(NAME);
        assertThat(handle.attributes()).containsEntry("batchId", "7").containsEntry("output", output.toString());
        JsonNode staged = JSON.readTree(Path.of(output).resolve("_job.json").toFile());
        assertThat(staged.get("jobId").asText()).isEqualTo("job-1");
        assertThat(staged.get("query").asText()).isEqualTo("select 42 as answer");
        assertThat(staged.get("format").asText()).isEqualTo("parquet");
        assertThat(staged.get("location").asText()).isEqualTo(output.toString());
        assertThat(staged.get("apiUrl").asText()).isEqualTo("https://hubble.example");
        String token = staged.get("jobToken").asText();
        assertThat(TOKENS.verify("job-1", token)).isTrue();

        List<LoggedRequest> posts = livy.findAll(postRequestedFor(urlEqualTo("/batches")));
        assertThat(posts).hasSize(1);
        LoggedRequest post = posts.get(0);
        assertThat(post.getHeader("X-Requested-By")).isEqualTo("hubble");
        assertThat(post.getHeader("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("hubble-user:pa55word".getBytes(StandardCharsets.UTF_8)));
        assertThat(post.getBodyAsString()).doesNotContain(token);
        JsonNode body = JSON.readTree(post.getBodyAsString());
        assertThat(body.get("file").asText()).isEqualTo("s3://jars/hubble-spark-job.jar");
        assertThat(body.get("className").asText()).isEqualTo("dev.hubble.sparkjob.SparkJob");
        assertThat(body.get("name").asText()).isEqualTo(NAME);
        assertThat(body.get("args")).hasSize(1);
        assertThat(body.get("args").get(0).asText()).isEqualTo(output + "_job.json");
        assertThat(body.get("conf").get("spark.sql.adaptive.enabled").asText()).isEqualTo("true");
        assertThat(body.get("queue").asText()).isEqualTo("analytics");
        assertThat(body.get("proxyUser").asText()).isEqualTo("etl");
        assertThat(body.get("driverMemory").asText()).isEqualTo("2g");
        assertThat(body.get("driverCores").asInt()).isEqualTo(2);
        assertThat(body.get("executorMemory").asText()).isEqualTo("4g");
        assertThat(body.get("executorCores").asInt()).isEqualTo(3);
        assertThat(body.get("numExecutors").asInt()).isEqualTo(5);
    }

    @Test
    void aRetriedSubmitFindsTheBatchByNameAndPostsNothing() {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(3, "running", null))));

        RunHandle handle = runner.submit("job-1", spec("select 1", OutputFormat.CSV), output);

        assertThat(handle.remoteId()).isEqualTo(NAME);
        assertThat(handle.attributes()).containsEntry("batchId", "3");
        livy.verify(0, postRequestedFor(urlEqualTo("/batches")));
    }

    @Test
    void aDuplicateNameFromARacingSubmitFindsThatBatch() {
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("race")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(404))
                .willSetStateTo("posted"));
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("race")
                .whenScenarioStateIs("posted")
                .willReturn(okJson(batch(4, "running", null))));
        livy.stubFor(post("/batches")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"msg\":\"Duplicate session name: Some(" + NAME + ")\"}")));

        RunHandle handle = runner.submit("job-1", spec("select 1", OutputFormat.CSV), output);

        assertThat(handle.attributes()).containsEntry("batchId", "4");
        livy.verify(1, postRequestedFor(urlEqualTo("/batches")));
    }

    @Test
    void aJobWhoseLocationHoldsAnOutcomeIsNotSubmittedAgain() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        Files.writeString(Path.of(output).resolve("_RESULT.json"), "{\"rows\":1,\"files\":[]}");

        RunHandle handle = runner.submit("job-1", spec("select 1", OutputFormat.CSV), output);

        assertThat(handle.remoteId()).isEqualTo(NAME);
        livy.verify(0, postRequestedFor(urlEqualTo("/batches")));
        assertThat(runner.poll(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    void livyRefusingTheBatchRejectsTheJobWithLivysReason() {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        livy.stubFor(
                post("/batches")
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withBody(
                                                "{\"msg\":\"requirement failed: Local path /opt/x.jar cannot be added to user sessions.\"}")));

        assertThatThrownBy(() -> runner.submit("job-1", spec("select 1", OutputFormat.CSV), output))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("cannot be added to user sessions");
    }

    @Test
    void aServerErrorOnSubmitIsTransient() {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        livy.stubFor(post("/batches").willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThatThrownBy(() -> runner.submit("job-1", spec("select 1", OutputFormat.CSV), output))
                .isInstanceOf(LivyException.class)
                .isNotInstanceOf(JobRejectedException.class)
                .hasMessageContaining("503");
    }

    @Test
    void aLocationNoStoreServesRejectsTheJob() {
        assertThatThrownBy(() -> runner.submit(
                        "job-1", spec("select 1", OutputFormat.CSV), URI.create("s3://bucket/jobs/job-1/")))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("s3:");
    }

    @ParameterizedTest
    @CsvSource({
        "not_started, PENDING",
        "starting, PENDING",
        "recovering, RUNNING",
        "idle, RUNNING",
        "running, RUNNING",
        "busy, RUNNING",
        "shutting_down, RUNNING",
        "error, FAILED",
        "dead, FAILED",
        "killed, CANCELLED",
        "success, SUCCEEDED",
    })
    void everyLivyStateHasItsPhase(String state, RemotePhase phase) {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(1, state, null))));

        assertThat(runner.poll(handle()).phase()).isEqualTo(phase);
    }

    @Test
    void anUnknownStateIsTakenAsRunning() {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(1, "levitating", null))));

        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.RUNNING);
    }

    @Test
    void yarnsStartingBatchIsPendingAndItsApplicationIsReported() {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson("""
                {"id": 12, "name": "hubble-job-1", "owner": null, "proxyUser": "etl", "state": "starting",
                 "appId": "application_1700000000000_0042",
                 "appInfo": {"driverLogUrl": "http://node-7:8042/node/containerlogs/container_1/etl",
                             "sparkUiUrl": "http://rm:8088/proxy/application_1700000000000_0042/"},
                 "log": ["stdout: ", "\\nstderr: ", "INFO Client: Submitting application"]}
                """)));

        LivyRunner.Observation observation = runner.observe(handle());

        assertThat(observation.status()).isEqualTo(RemoteStatus.of(RemotePhase.PENDING));
        assertThat(observation.details())
                .isEqualTo(new RemoteDetails(
                        "12",
                        "application_1700000000000_0042",
                        "http://rm:8088/proxy/application_1700000000000_0042/",
                        "http://node-7:8042/node/containerlogs/container_1/etl"));
    }

    @Test
    void aKilledBatchIsCancelled() {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(1, "killed", "application_1_2"))));

        RemoteStatus status = runner.poll(handle());

        assertThat(status.phase()).isEqualTo(RemotePhase.CANCELLED);
        assertThat(status.message()).contains("killed");
    }

    @Test
    void aDeadBatchFailsWithTheErrorSparkJobLeft() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(1, "dead", null))));
        writeError("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'.(line 1, pos 0)", "== SQL ==\nselec 1\n^^^");

        RemoteStatus status = runner.poll(handle());

        assertThat(status)
                .isEqualTo(new RemoteStatus(
                        RemotePhase.FAILED,
                        "[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'.(line 1, pos 0)",
                        new RemoteDetails("1", null, null, null)));
    }

    @Test
    void anErrorBatchWithoutAnErrorFileFailsWithLivysState() {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(1, "error", "application_1_3"))));

        RemoteStatus status = runner.poll(handle());

        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message()).contains("'error'");
    }

    @Test
    void aRunningBatchWhoseResultFileIsWrittenHasSucceeded() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(3, "running", null))));
        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.RUNNING);

        Files.writeString(Path.of(output).resolve("_RESULT.json"), "{\"rows\":1,\"files\":[]}");

        assertThat(runner.poll(handle()).phase())
                .as("spark-job's result is complete, its driver exiting")
                .isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    void aRunningBatchWhoseErrorFileIsWrittenWaitsForLivy() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(okJson(batch(3, "running", null))));
        writeError("[DIVIDE_BY_ZERO] Division by zero.", "stack");

        assertThat(runner.poll(handle()).phase())
                .as("a second attempt may still succeed")
                .isEqualTo(RemotePhase.RUNNING);
    }

    @Test
    void aForgottenBatchWithAResultFileSucceeded() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        Files.writeString(Path.of(output).resolve("_RESULT.json"), "{\"rows\":1,\"files\":[]}");

        assertThat(runner.poll(handle())).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
    }

    @Test
    void aForgottenBatchWithAnErrorFileFailedWithItsMessage() throws Exception {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        writeError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.", "stack");

        assertThat(runner.poll(handle()))
                .isEqualTo(new RemoteStatus(
                        RemotePhase.FAILED, "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found."));
        assertThat(runner.diagnostics(handle())).contains("stack");
    }

    @Test
    void aForgottenBatchWithoutOutcomeIsNotFound() {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));

        RemoteStatus status = runner.poll(handle());

        assertThat(status.phase()).isEqualTo(RemotePhase.NOT_FOUND);
        assertThat(status.message()).contains(NAME);
    }

    @Test
    void aRunningBatchLivyLosesWithoutAnOutcomeVanishesOnceUnseenForVanishedAfter() {
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("lost")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(batch(3, "running", null)))
                .willSetStateTo("restarted"));
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("lost")
                .whenScenarioStateIs("restarted")
                .willReturn(aResponse().withStatus(404)));
        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.RUNNING);

        now.set(now.get().plus(VANISHED_AFTER.minusMillis(1)));
        assertThat(runner.poll(handle()).phase())
                .as("unseen for less than vanished-after")
                .isEqualTo(RemotePhase.NOT_FOUND);

        now.set(now.get().plusMillis(1));
        RemoteStatus status = runner.poll(handle());
        assertThat(status.phase()).isEqualTo(RemotePhase.FAILED);
        assertThat(status.message())
                .startsWith("the Spark batch vanished")
                .contains(NAME, "_RESULT.json", "_ERROR.json");
    }

    @Test
    void aBatchThisProcessNeverSawCountsFromItsFirstMiss() {
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));

        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.NOT_FOUND);
        now.set(now.get().plus(VANISHED_AFTER.minusMillis(1)));
        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.NOT_FOUND);
        now.set(now.get().plusMillis(1));

        assertThat(runner.poll(handle()).message()).startsWith("the Spark batch vanished");
    }

    @Test
    void aForgottenBatchThatLeftItsResultLongAfterItWasSeenSucceeded() throws Exception {
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("forgotten")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(batch(3, "running", null)))
                .willSetStateTo("restarted"));
        livy.stubFor(get("/batches/" + NAME)
                .inScenario("forgotten")
                .whenScenarioStateIs("restarted")
                .willReturn(aResponse().withStatus(404)));
        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.RUNNING);
        Files.writeString(Path.of(output).resolve("_RESULT.json"), "{\"rows\":1,\"files\":[]}");

        now.set(now.get().plus(Duration.ofHours(1)));

        assertThat(runner.poll(handle())).isEqualTo(RemoteStatus.of(RemotePhase.SUCCEEDED));
    }

    @Test
    void aServerErrorOnPollIsTransient() {
        livy.stubFor(
                get("/batches/" + NAME).willReturn(aResponse().withStatus(500).withBody("{\"msg\":\"oops\"}")));

        assertThatThrownBy(() -> runner.poll(handle()))
                .isInstanceOf(LivyException.class)
                .satisfies(e -> assertThat(((LivyException) e).isTransient()).isTrue())
                .hasMessageContaining("oops");
    }

    @Test
    void aSlowLivyTimesOutInsteadOfHoldingThePoll() {
        runner = runner(properties(Duration.ofMillis(300), Duration.ofMillis(300)));
        livy.stubFor(get("/batches/" + NAME)
                .willReturn(okJson(batch(1, "running", null)).withFixedDelay(5_000)));

        assertThatThrownBy(() -> runner.poll(handle()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("did not answer");
    }

    @Test
    void aBatchKilledHereThatLivyForgotIsCancelledNotVanished() {
        livy.stubFor(delete("/batches/" + NAME).willReturn(okJson("{\"msg\":\"deleted\"}")));
        livy.stubFor(get("/batches/" + NAME).willReturn(aResponse().withStatus(404)));
        runner.cancel(handle());

        now.set(now.get().plus(Duration.ofMinutes(1)));

        assertThat(runner.poll(handle()).phase()).isEqualTo(RemotePhase.CANCELLED);
    }

    @Test
    void cancelDeletesTheBatchByName() {
        livy.stubFor(delete("/batches/" + NAME).willReturn(okJson("{\"msg\":\"deleted\"}")));

        runner.cancel(handle());

        livy.verify(1, deleteRequestedFor(urlEqualTo("/batches/" + NAME)));
    }

    @Test
    void cancellingABatchLivyDoesNotKnowSucceeds() {
        livy.stubFor(delete("/batches/" + NAME).willReturn(aResponse().withStatus(404)));

        runner.cancel(handle());

        livy.verify(1, deleteRequestedFor(urlEqualTo("/batches/" + NAME)));
    }

    @Test
    void cancelIsBoundedByItsOwnTimeout() {
        runner = runner(properties(Duration.ofSeconds(30), Duration.ofMillis(300)));
        livy.stubFor(delete("/batches/" + NAME).willReturn(okJson("{}").withFixedDelay(5_000)));

        assertThatThrownBy(() -> runner.cancel(handle())).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void diagnosticsAreTheTailOfTheBatchLog() {
        livy.stubFor(get(urlPathEqualTo("/batches/" + NAME + "/log")).willReturn(okJson("""
                {"id": 1, "from": 180, "total": 200, "log": ["stdout: ", "\\nstderr: ",
                 "Exception in thread \\"main\\" org.apache.spark.sql.catalyst.parser.ParseException:"]}
                """)));

        assertThat(runner.diagnostics(handle()))
                .hasValueSatisfying(
                        tail -> assertThat(tail).contains("ParseException").startsWith("stdout:"));
        livy.verify(getRequestedFor(urlEqualTo("/batches/" + NAME + "/log?size=50")));
    }

    @Test
    void batchNamesAreNeverNumbers() {
        assertThat(runner.batchName("12345")).isEqualTo("hubble-12345");
    }

    private LivyRunner runner(LivyProperties properties) {
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new LivyRunner(properties, List.of(new LocalLocationFiles()), TOKENS, JSON, clock);
    }

    private static LivyProperties properties(Duration requestTimeout, Duration cancelTimeout) {
        return new LivyProperties(
                URI.create(livy.baseUrl()),
                URI.create("file:///opt/hubble-spark-job.jar"),
                "dev.hubble.sparkjob.SparkJob",
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                URI.create("http://localhost:8080"),
                "hubble-",
                Duration.ofSeconds(2),
                requestTimeout,
                cancelTimeout,
                50,
                VANISHED_AFTER);
    }

    private RunHandle handle() {
        return new RunHandle("spark", NAME, Map.of("output", output.toString(), "batchId", "1"));
    }

    private void writeError(String message, String detail) throws Exception {
        JSON.writeValue(Path.of(output).resolve("_ERROR.json").toFile(), Map.of("message", message, "detail", detail));
    }

    private static JobSpec spec(String query, OutputFormat format) {
        return new JobSpec(
                query,
                "spark",
                format,
                "tests",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                Map.of(),
                null);
    }

    private static String batch(int id, String state, String appId) {
        return "{\"id\": " + id + ", \"name\": \"" + NAME + "\", \"owner\": null, \"proxyUser\": null, \"state\": \""
                + state + "\", \"appId\": " + (appId == null ? "null" : "\"" + appId + "\"")
                + ", \"appInfo\": {\"driverLogUrl\": null, \"sparkUiUrl\": null}, \"log\": []}";
    }
}
