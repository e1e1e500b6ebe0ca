package dev.hubble.sparkjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.sparkjob.RecordingHubble.Post;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkJobTest {

    private static final String TOKEN = "secret-token-of-job-7";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SparkSession spark;

    @TempDir
    Path dir;

    private RecordingHubble hubble;
    private Path location;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder()
                .master("local[1]")
                .appName("spark-job-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void startHubble() throws IOException {
        hubble = new RecordingHubble();
        location = Files.createDirectories(dir.resolve("jobs/job-7"));
    }

    @AfterEach
    void stopHubble() {
        hubble.close();
    }

    @Test
    void csvResultHasAHeaderAndTheRowsAndIsListedInTheResultFile() throws Exception {
        run(stage("select 42 as answer", "csv", hubble.url()));

        List<Path> results = results();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getFileName().toString()).endsWith(".csv");
        assertThat(Files.readString(results.get(0))).isEqualTo("answer\n42\n");
        JsonNode result = JSON.readTree(location.resolve(SparkJob.RESULT).toFile());
        assertThat(result.get("rows").asLong()).isEqualTo(1);
        assertThat(result.get("files")).hasSize(1);
        assertThat(result.get("files").get(0).get("name").asText())
                .isEqualTo(results.get(0).getFileName().toString());
        assertThat(result.get("files").get(0).get("sizeBytes").asLong()).isEqualTo(Files.size(results.get(0)));
        assertThat(location.resolve(SparkJob.ERROR)).doesNotExist();
        assertThat(location.resolve("_job.json")).exists();
    }

    @Test
    void pushesRunningThenSucceededWithTheJobsToken() throws Exception {
        run(stage("select 1", "csv", hubble.url()));

        assertThat(hubble.posts())
                .extracting(Post::path, Post::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/v1/jobs/job-7/status", "{\"phase\":\"RUNNING\"}"),
                        org.assertj.core.groups.Tuple.tuple("/v1/jobs/job-7/status", "{\"phase\":\"SUCCEEDED\"}"));
        assertThat(hubble.posts()).allSatisfy(post -> {
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.authorization()).isEqualTo("Bearer " + TOKEN);
        });
    }

    @Test
    void parquetResultReadsBackWithEveryRow() throws Exception {
        run(stage("select id, id * 2 as twice from range(100000)", "parquet", hubble.url()));

        assertThat(results())
                .isNotEmpty()
                .allSatisfy(file -> assertThat(file.toString()).endsWith(".parquet"));
        assertThat(spark.read().parquet(location.toString()).count()).isEqualTo(100_000);
        assertThat(spark.read()
                        .parquet(location.toString())
                        .selectExpr("sum(twice)")
                        .first()
                        .getLong(0))
                .isEqualTo(2L * (100_000L * 99_999L / 2));
        assertThat(JSON.readTree(location.resolve(SparkJob.RESULT).toFile())
                        .get("rows")
                        .asLong())
                .isEqualTo(100_000);
    }

    @Test
    void syntaxErrorIsRecordedReportedWithSparksOwnMessageAndThrown() throws Exception {
        String jobFile = stage("selec 1", "csv", hubble.url());

        assertThatThrownBy(() -> run(jobFile)).hasMessageContaining("PARSE_SYNTAX_ERROR");

        JsonNode error = JSON.readTree(location.resolve(SparkJob.ERROR).toFile());
        String message = error.get("message").asText();
        assertThat(message).startsWith("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'");
        assertThat(error.get("detail").asText()).contains("== SQL ==").contains("selec 1");
        assertThat(location.resolve(SparkJob.RESULT)).doesNotExist();
        List<Post> posts = hubble.posts();
        assertThat(posts)
                .extracting(Post::path)
                .containsExactly("/v1/jobs/job-7/status", "/v1/jobs/job-7/errors", "/v1/jobs/job-7/status");
        JsonNode reported = JSON.readTree(posts.get(1).body());
        assertThat(reported.get("message").asText()).isEqualTo(message);
        assertThat(reported.get("detail").asText()).contains("== SQL ==");
        JsonNode failed = JSON.readTree(posts.get(2).body());
        assertThat(failed.get("phase").asText()).isEqualTo("FAILED");
        assertThat(failed.get("message").asText()).isEqualTo(message);
        assertThat(posts).allSatisfy(post -> assertThat(post.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void anErrorRaisedInATaskIsReportedWithTheTasksOwnMessage() throws Exception {
        String jobFile = stage(
                "select id, case when id = 2 then cast(raise_error('bad row 2') as string)"
                        + " else 'ok' end as verdict from range(3)",
                "csv",
                hubble.url());

        assertThatThrownBy(() -> run(jobFile)).isInstanceOf(Exception.class);

        String message = JSON.readTree(location.resolve(SparkJob.ERROR).toFile())
                .get("message")
                .asText();
        assertThat(message).isEqualTo("bad row 2");
    }

    @Test
    void aDivisionByZeroInATaskIsReportedWithItsErrorClass() throws Exception {
        String jobFile = stage("select 1 / (id - 2) as x from range(5)", "csv", hubble.url());
        spark.conf().set("spark.sql.ansi.enabled", "true");
        try {
            assertThatThrownBy(() -> run(jobFile)).isInstanceOf(Exception.class);
        } finally {
            spark.conf().unset("spark.sql.ansi.enabled");
        }

        assertThat(JSON.readTree(location.resolve(SparkJob.ERROR).toFile())
                        .get("message")
                        .asText())
                .startsWith("[DIVIDE_BY_ZERO] Division by zero.");
    }

    @Test
    void anUnreachableHubbleChangesNothingAndTheTokenIsNeverLogged() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StringWriter logs = new StringWriter();
        try (LogCapture capture = new LogCapture(logs)) {
            run(stage("select 42 as answer", "csv", "http://127.0.0.1:" + closedPort));
            assertThatThrownBy(() -> run(stage("selec 1", "csv", "http://127.0.0.1:" + closedPort)))
                    .hasMessageContaining("PARSE_SYNTAX_ERROR");
        }

        assertThat(logs.toString()).contains("Could not reach Hubble").doesNotContain(TOKEN);
        assertThat(location.resolve(SparkJob.ERROR)).exists();
    }

    @Test
    void aSlowHubbleDoesNotHoldTheJobBack() throws Exception {
        hubble.answerAfter(Duration.ofSeconds(30));

        new SparkJob(spark, 500, 500).run(stage("select 42 as answer", "csv", hubble.url()));

        assertThat(location.resolve(SparkJob.RESULT)).exists();
        assertThat(hubble.posts()).hasSize(2);
    }

    @Test
    void aSecondRunReplacesTheResultsOfTheFirst() throws Exception {
        String jobFile = stage("select 1 as one", "csv", null);
        run(jobFile);
        run(jobFile);

        assertThat(results()).hasSize(1);
        assertThat(JSON.readTree(location.resolve(SparkJob.RESULT).toFile()).get("files"))
                .hasSize(1);
    }

    @Test
    void aJobWithoutAnApiUrlRunsWithoutReporting() throws Exception {
        run(stage("select 1", "csv", null));

        assertThat(location.resolve(SparkJob.RESULT)).exists();
        assertThat(hubble.posts()).isEmpty();
    }

    @Test
    void anUnreadableJobFileLeavesAnErrorFileAndFails() throws Exception {
        Files.writeString(location.resolve("_job.json"), "{\"jobId\": \"job-7\"}");

        assertThatThrownBy(() -> run(location.resolve("_job.json").toUri().toString()))
                .hasMessageContaining("the job file has no");

        assertThat(JSON.readTree(location.resolve(SparkJob.ERROR).toFile())
                        .get("message")
                        .asText())
                .contains("the job file has no");
    }

    private void run(String jobFile) throws Exception {
        new SparkJob(spark, 2_000, 5_000).run(jobFile);
    }

    private String stage(String query, String format, String apiUrl) throws IOException {
        var job = JSON.createObjectNode()
                .put("jobId", "job-7")
                .put("query", query)
                .put("format", format)
                .put("location", location.toUri().toString())
                .put("apiUrl", apiUrl)
                .put("jobToken", TOKEN);
        Path file = location.resolve("_job.json");
        JSON.writeValue(file.toFile(), job);
        return file.toUri().toString();
    }

    private List<Path> results() throws IOException {
        try (Stream<Path> files = Files.list(location)) {
            return files.filter(file -> SparkJob.isResult(file.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    /** Everything logged while open, as text. */
    private static final class LogCapture implements AutoCloseable {

        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final Appender appender;

        LogCapture(StringWriter target) {
            Configuration config = context.getConfiguration();
            appender = WriterAppender.createAppender(
                    PatternLayout.newBuilder()
                            .withPattern("%p %c %m%n")
                            .withConfiguration(config)
                            .build(),
                    null,
                    target,
                    "capture",
                    false,
                    true);
            appender.start();
            config.getRootLogger().addAppender(appender, Level.ALL, null);
            config.getRootLogger().setLevel(Level.INFO);
            context.updateLoggers();
        }

        @Override
        public void close() {
            context.getConfiguration().getRootLogger().removeAppender("capture");
            context.updateLoggers();
            appender.stop();
        }
    }
}
