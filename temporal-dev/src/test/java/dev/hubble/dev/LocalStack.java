package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real local stack, started once per test JVM on free ports, a small HTTP client for its API,
 * and Kafka clients for its broker. Tests share it, so each uses its own job ids and sources.
 */
final class LocalStack implements AutoCloseable {

    /** Queries the shared stack's DuckDB runs at once: more than its gate's capacity. */
    static final int DUCKDB_PARALLEL_QUERIES = 16;

    private static LocalStack instance;

    final ConfigurableApplicationContext context;
    final URI api;
    final Path dataDir;
    final String kafka;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private KafkaProducer<byte[], byte[]> producer;
    private StatusEventLog statusEvents;
    private TopicLog deadLetters;
    /** Sent as {@code Authorization} with every API call when set: the caller's credentials. */
    private volatile String authorization;

    private LocalStack(ConfigurableApplicationContext context, URI api, Path dataDir) {
        this.context = context;
        this.api = api;
        this.dataDir = dataDir;
        this.kafka = context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers");
    }

    /** The stack the tests share, started at the first call. */
    static synchronized LocalStack get() {
        if (instance == null) {
            try {
                // DuckDB may run more queries at once than the duckdb gate admits (4), so that no
                // test's "at most 4 at the engine" can hold for any reason but the gate.
                instance = start(
                        Files.createTempDirectory("hubble-dev-test"),
                        "--hubble.drivers.duckdb.parallel-queries=" + DUCKDB_PARALLEL_QUERIES);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * A stack of the caller's own, on free ports, with {@code extraArgs} added (properties other
     * than the ports and data directory set here); the caller closes it.
     */
    static LocalStack start(Path dataDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--hubble.dev.temporal-port=0",
                "--hubble.dev.redis-port=0",
                "--hubble.dev.kafka-port=0",
                "--hubble.dev.s3-port=0",
                "--hubble.dev.data-dir=" + dataDir));
        args.addAll(List.of(extraArgs));
        if (args.stream().noneMatch(arg -> arg.startsWith("--hubble.dev.spark="))) {
            args.add("--hubble.dev.spark=false"); // Livy only for the tests that run Spark jobs
        }
        if (args.stream().noneMatch(arg -> arg.startsWith("--hubble.dev.trino="))) {
            args.add("--hubble.dev.trino=false"); // Trino only for the tests that run Trino jobs
        }
        ConfigurableApplicationContext context = HubbleDev.start(args.toArray(String[]::new));
        URI api = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
        return new LocalStack(context, api, dataDir);
    }

    @Override
    public synchronized void close() {
        if (statusEvents != null) {
            statusEvents.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        context.close();
    }

    /**
     * Sends {@code value} as the {@code Authorization} header of every later API call (unless the
     * call names its own), as a client of an API with authentication on does; null sends none.
     */
    void authorize(String value) {
        authorization = value;
    }

    /** The embedded S3's endpoint, the host of presigned result links. */
    String s3() {
        return context.getEnvironment().getRequiredProperty("hubble.dev.s3-endpoint");
    }

    /** Every status event of the stack, from the first, as a subscriber sees them. */
    synchronized StatusEventLog statusEvents() {
        if (statusEvents == null) {
            statusEvents = new StatusEventLog(
                    kafka, context.getEnvironment().getProperty("hubble.events.status-topic", "hubble.job-status"));
        }
        return statusEvents;
    }

    /** Every record of the command dead-letter topic, from the first. */
    synchronized TopicLog deadLetters() {
        if (deadLetters == null) {
            deadLetters = new TopicLog(kafka, "hubble.job-commands.dlq");
        }
        return deadLetters;
    }

    /** Sends a record to the stack's broker and waits for the acknowledgement. */
    synchronized RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        }
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + record.topic(), e);
        }
    }

    HttpResponse<String> post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        String credentials = authorization;
        if (credentials != null && !headers.containsKey("Authorization")) {
            request.header("Authorization", credentials);
        }
        headers.forEach(request::header);
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathOrUrl) {
        return send(
                authorized(HttpRequest.newBuilder(api.resolve(pathOrUrl)).GET()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> download(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> delete(String path) {
        return send(
                authorized(HttpRequest.newBuilder(api.resolve(path)).DELETE()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String credentials = authorization;
        return credentials == null ? request : request.header("Authorization", credentials);
    }

    /** Submits a job and returns its id, asserting the 202. */
    String submit(Map<String, Object> body) {
        HttpResponse<String> response = post("/v1/jobs", body, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return read(response.body()).get("jobId").asText();
    }

    /** Waits until the job reaches {@code state} and returns its document. */
    JsonNode awaitState(String jobId, String state) {
        return awaitState(jobId, state, Duration.ofSeconds(60));
    }

    /** Waits at most {@code atMost} until the job reaches {@code state} and returns its document. */
    JsonNode awaitState(String jobId, String state, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> response = get("/v1/jobs/" + jobId);
            assertThat(response.statusCode()).isEqualTo(200);
            last[0] = read(response.body());
            assertThat(last[0].get("state").asText()).as(response.body()).isEqualTo(state);
        });
        return last[0];
    }

    JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
