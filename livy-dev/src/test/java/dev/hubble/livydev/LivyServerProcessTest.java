package dev.hubble.livydev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivyServerProcessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");

    private static LivyServerProcess livy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startLivy() {
        livy = LivyServerProcess.builder().workDir(dir.resolve("livy")).start();
    }

    @AfterAll
    static void stopLivy() {
        if (livy != null) {
            livy.stop();
        }
    }

    @Test
    void runsASparkJobBatchToSuccessAndForgetsItWhenRestarted() throws Exception {
        Path location = Files.createDirectories(dir.resolve("jobs/livy-1"));
        Files.writeString(
                location.resolve("_job.json"),
                "{\"jobId\": \"livy-1\", \"query\": \"select 1 as one\"," + " \"format\": \"csv\", \"location\": \""
                        + location.toUri() + "\"}");
        String body = "{\"file\": \"" + DevHomes.sparkJobJar().toUri() + "\","
                + " \"className\": \"dev.hubble.sparkjob.SparkJob\","
                + " \"args\": [\"" + location.resolve("_job.json").toUri() + "\"], \"name\": \"job-livy-1\"}";

        HttpResponse<String> created = send(HttpRequest.newBuilder(livy.url().resolve("/batches"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = match(ID, created.body());

        String state = awaitFinalState(id, Duration.ofMinutes(4));
        assertThat(state).as(livy.log() + "\n" + log(id)).isEqualTo("success");
        assertThat(location.resolve("_RESULT.json")).exists();
        assertThat(send(get("/batches/job-livy-1")).body()).contains("\"id\":" + id);

        livy.restart();

        assertThat(send(get("/batches/" + id)).statusCode()).isEqualTo(404);
        assertThat(livy.drivers()).isEmpty();
    }

    private static String awaitFinalState(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String state = match(STATE, send(get("/batches/" + id + "/state")).body());
            if (state.equals("success") || state.equals("dead") || state.equals("killed") || state.equals("error")) {
                return state;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("batch " + id + " did not finish within " + timeout);
    }

    private static String log(String id) throws Exception {
        return send(get("/batches/" + id + "/log?from=0&size=200")).body();
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(livy.url().resolve(path)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
