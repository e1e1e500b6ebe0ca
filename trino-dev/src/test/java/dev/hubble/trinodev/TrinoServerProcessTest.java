package dev.hubble.trinodev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrinoServerProcessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern NEXT = Pattern.compile("\"nextUri\":\"([^\"]+)\"");

    @Test
    void runsAQueryOnTheTpchCatalogOverTheClientProtocol() throws Exception {
        TrinoServerProcess trino = TrinoServerProcess.shared();
        System.out.printf(
                "Trino ready after %d ms, %d MB resident%n",
                trino.readyAfter().toMillis(), trino.residentBytes().orElse(0L) >> 20);

        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(trino.url().resolve("/v1/statement"))
                        .header("X-Trino-User", "test")
                        .POST(HttpRequest.BodyPublishers.ofString("select count(*) from tpch.tiny.nation"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder data = new StringBuilder();
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            if (answer.body().contains("\"data\"")) {
                data.append(answer.body());
            }
            Matcher next = NEXT.matcher(answer.body());
            if (!next.find() || System.nanoTime() > giveUpAt) {
                break;
            }
            answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create(next.group(1)))
                            .header("X-Trino-User", "test")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(data.toString()).contains("\"data\":[[25]]");
        assertThat(trino.url().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void findsAJava25HomeOnThisMachine() {
        assertThat(TrinoServerProcess.unavailable()).isEmpty();
        assertThat(TrinoServerProcess.feature(TrinoServerProcess.javaHome())).isGreaterThanOrEqualTo(25);
    }
}
