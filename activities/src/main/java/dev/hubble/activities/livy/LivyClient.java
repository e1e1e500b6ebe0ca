package dev.hubble.activities.livy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.lang.Nullable;

/**
 * Livy's batch REST API, the few calls the driver needs. Every call is bounded by the configured
 * timeouts; an answer that never comes is an {@link UncheckedIOException}, an error status a
 * {@link LivyException}, except 404, which each method turns into "no such batch".
 * Thread-safe.
 */
final class LivyClient {

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration requestTimeout;
    private final Duration cancelTimeout;
    private final @Nullable String requestedBy;
    private final @Nullable String authorization;

    LivyClient(LivyProperties properties, ObjectMapper json) {
        this.base = URI.create(properties.url().toString().replaceAll("/+$", ""));
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = json;
        this.requestTimeout = properties.requestTimeout();
        this.cancelTimeout = properties.cancelTimeout();
        this.requestedBy = properties.requestedBy();
        this.authorization = properties.username() == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString((properties.username() + ":" + properties.password())
                                        .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST /batches}: the new batch. */
    LivyBatch create(ObjectNode request) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<byte[]> response =
                send("POST", "/batches", HttpRequest.BodyPublishers.ofByteArray(body), requestTimeout);
        if (response.statusCode() / 100 != 2) {
            throw error("POST", "/batches", response);
        }
        return LivyBatch.of(parse(response));
    }

    /** {@code GET /batches/{idOrName}}: the batch, or empty when Livy does not know it. */
    Optional<LivyBatch> find(String idOrName) {
        String path = "/batches/" + segment(idOrName);
        HttpResponse<byte[]> response = send("GET", path, HttpRequest.BodyPublishers.noBody(), requestTimeout);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw error("GET", path, response);
        }
        return Optional.of(LivyBatch.of(parse(response)));
    }

    /** {@code GET /batches?from=0&size=0}: how many batches Livy keeps; throws when it does not answer. */
    int batchCount() {
        String path = "/batches?from=0&size=0";
        HttpResponse<byte[]> response = send("GET", path, HttpRequest.BodyPublishers.noBody(), requestTimeout);
        if (response.statusCode() != 200) {
            throw error("GET", path, response);
        }
        return parse(response).path("total").asInt();
    }

    /** {@code DELETE /batches/{idOrName}}: whether there was a batch to kill. */
    boolean delete(String idOrName) {
        String path = "/batches/" + segment(idOrName);
        HttpResponse<byte[]> response = send("DELETE", path, HttpRequest.BodyPublishers.noBody(), cancelTimeout);
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() / 100 != 2) {
            throw error("DELETE", path, response);
        }
        return true;
    }

    /** The last {@code lines} lines of the batch's log, or empty when Livy does not know it. */
    Optional<List<String>> log(String idOrName, int lines) {
        String path = "/batches/" + segment(idOrName) + "/log?size=" + lines;
        HttpResponse<byte[]> response = send("GET", path, HttpRequest.BodyPublishers.noBody(), requestTimeout);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw error("GET", path, response);
        }
        List<String> log = new ArrayList<>();
        parse(response).path("log").forEach(line -> log.add(line.asText()));
        return Optional.of(log);
    }

    private HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body);
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        if (requestedBy != null) {
            request.header("X-Requested-By", requestedBy);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Livy did not answer " + method + " " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Livy", e);
        }
    }

    private JsonNode parse(HttpResponse<byte[]> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Livy answered " + response.statusCode() + " with a body that is not JSON", e);
        }
    }

    /** The error with Livy's own reason: its {@code msg}, or the start of a body that is not JSON. */
    private LivyException error(String method, String path, HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String reason;
        try {
            JsonNode node = json.readTree(body);
            reason = node != null && node.hasNonNull("msg") ? node.get("msg").asText() : body;
        } catch (IOException e) {
            reason = body;
        }
        reason = reason.strip();
        if (reason.length() > 500) {
            reason = reason.substring(0, 500) + "…";
        }
        return new LivyException(method, path.replaceAll("\\?.*", ""), response.statusCode(), reason);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
