package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.activities.livy.LivyProperties;
import dev.hubble.core.results.s3.S3ResultStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hubble's overhead on a Spark job: Hubble's submit to SUCCEEDED minus a bare Livy POST to
 * {@code success} of the same query on the same Livy, alternating, one at a time. Both write to
 * the stack's S3 with the same Spark conf: the bare batch's {@code _job.json} is put there
 * directly, and it carries no API URL, so it reports to nobody. Prints the figures; asserts only
 * that both ran. Run it with
 * {@code ./mvnw -pl temporal-dev -am verify -Dtest=SparkOverheadBenchmark -DexcludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class SparkOverheadBenchmark {

    /** Rounds of one bare batch and one Hubble job; {@code -Dhubble.bench.rounds=N} for more on a busy machine. */
    private static final int ROUNDS = Integer.getInteger("hubble.bench.rounds", 3);

    private static final String QUERY = "select 42 as answer";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hubbleOverheadOverABareLivyBatch(@TempDir Path dataDir) throws Exception {
        try (LocalStack stack = LocalStack.start(dataDir, "--hubble.dev.spark=true")) {
            URI livy = stack.context
                    .getBean(LocalSpark.class)
                    .livy(Duration.ofMinutes(3))
                    .url();
            LivyProperties driver = stack.context.getBean(LivyProperties.class);
            S3ResultStore s3 = stack.context.getBean(S3ResultStore.class);
            // Warm-up: Livy up, the first batch's class loading paid, on both paths.
            bare(livy, driver, s3, "warm-up");
            stack.awaitState(
                    stack.submit(Map.of("query", QUERY, "driver", "spark", "source", "benchmark")),
                    "SUCCEEDED",
                    Duration.ofMinutes(5));
            List<Long> bare = new ArrayList<>();
            List<Long> hubble = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                bare.add(bare(livy, driver, s3, "bare-" + round + "-" + System.nanoTime()));
                long started = System.nanoTime();
                String jobId = stack.submit(Map.of("query", QUERY, "driver", "spark", "source", "benchmark"));
                stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(5));
                hubble.add((System.nanoTime() - started) / 1_000_000);
            }
            List<Long> differences = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                differences.add(hubble.get(round) - bare.get(round));
            }
            System.out.printf(
                    "%nSpark '%s', %d rounds, one job at a time:%n  bare Livy POST -> success: %s ms (median %d)"
                            + "%n  Hubble submit -> SUCCEEDED: %s ms (median %d)%n  overhead (median difference): %d ms"
                            + "%n  per round (Hubble - bare): %s ms (median %d)%n%n",
                    QUERY,
                    ROUNDS,
                    bare,
                    median(bare),
                    hubble,
                    median(hubble),
                    median(hubble) - median(bare),
                    differences,
                    median(differences));
            assertThat(hubble).hasSize(ROUNDS);
        }
    }

    /** One batch straight on Livy, polled every 100 ms as the test's own client; its duration in ms. */
    private long bare(URI livy, LivyProperties driver, S3ResultStore s3, String name) throws Exception {
        URI location = s3.locationFor("bare-" + name);
        s3.write(
                location,
                "_job.json",
                json.writeValueAsBytes(
                        Map.of("jobId", name, "query", QUERY, "format", "csv", "location", location.toString())));
        String body = json.writeValueAsString(Map.of(
                "file",
                driver.jar().toString(),
                "className",
                driver.className(),
                "name",
                "benchmark-" + name,
                "args",
                List.of(location + "_job.json"),
                "conf",
                driver.conf()));
        long started = System.nanoTime();
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(livy.resolve("/batches"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int id = json.readTree(created.body()).get("id").asInt();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = json.readTree(http.send(
                            HttpRequest.newBuilder(livy.resolve("/batches/" + id + "/state"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            String value = state.get("state").asText();
            if (value.equals("success")) {
                return (System.nanoTime() - started) / 1_000_000;
            }
            assertThat(value).isNotIn("dead", "error", "killed");
            Thread.sleep(100);
        }
        throw new AssertionError("bare batch " + name + " did not finish");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
