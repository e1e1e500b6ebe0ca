package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark SQL jobs through the REST API of the local stack with its Livy and local Spark (child
 * processes): the spark driver, spark-job and its error report, end to end.
 */
class SparkJobEndToEndTest {

    private static final Duration SPARK_JOB = Duration.ofMinutes(4);

    @TempDir
    static Path dataDir;

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        long started = System.nanoTime();
        stack = LocalStack.start(dataDir, "--hubble.dev.spark=true");
        System.out.printf("Local stack with Spark ready after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void selectFortyTwoDownloadsAsCsvThroughItsLink() {
        long started = System.nanoTime();
        String jobId = stack.submit(Map.of("query", "select 42 as answer", "driver", "spark", "source", "e2e-spark"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", SPARK_JOB);
        System.out.printf("Spark select 42: submit to SUCCEEDED in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(job.at("/result/files")).hasSize(1);
        HttpResponse<byte[]> download = stack.download(job.at("/result/files/0/url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");
    }

    @Test
    void aSyntaxErrorFailsWithSparksOwnMessage() {
        String jobId = stack.submit(Map.of("query", "selec 42", "driver", "spark", "source", "e2e-spark"));

        JsonNode job = stack.awaitState(jobId, "FAILED", SPARK_JOB);

        assertThat(job.at("/error/message").asText()).startsWith("[PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'");
    }
}
