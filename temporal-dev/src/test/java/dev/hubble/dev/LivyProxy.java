package dev.hubble.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

/**
 * Stands between the spark driver and a real Livy (on 127.0.0.1, a free port) and passes every
 * request on, except for the failures a test arms:
 * <ul>
 *   <li>{@link #loseNextCreateAnswer()}: the next {@code POST /batches} reaches Livy, which creates
 *       the batch, but its answer never reaches the driver (the connection closes): a worker that
 *       crashed right after its submit;
 *   <li>{@link #hideNextCreatedBatch()}: Livy's answers about the next batch created (by name) are
 *       503 until {@link #showBatches()}: Hubble cannot look at it while the test lets it finish
 *       and restarts Livy.
 * </ul>
 */
final class LivyProxy implements AutoCloseable {

    private static final Set<String> PASSED_HEADERS =
            Set.of("content-type", "accept", "x-requested-by", "authorization");

    private final HttpServer server;
    private final URI livy;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean loseNextCreate = new AtomicBoolean();
    private final AtomicInteger lostCreates = new AtomicInteger();
    private final AtomicBoolean hideNextCreated = new AtomicBoolean();
    private final Set<String> hidden = ConcurrentHashMap.newKeySet();

    private LivyProxy(HttpServer server, URI livy) {
        this.server = server;
        this.livy = livy;
    }

    /** A proxy to the Livy at {@code livy}. */
    static LivyProxy to(URI livy) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LivyProxy proxy = new LivyProxy(server, livy);
            server.createContext("/", proxy::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the driver reaches Livy through this proxy. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void loseNextCreateAnswer() {
        loseNextCreate.set(true);
    }

    /** How many answers to {@code POST /batches} were lost so far. */
    int lostCreateAnswers() {
        return lostCreates.get();
    }

    void hideNextCreatedBatch() {
        hideNextCreated.set(true);
    }

    /** Shows every hidden batch again. */
    void showBatches() {
        hidden.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (hidden.stream()
                    .anyMatch(name -> path.equals("/batches/" + name) || path.startsWith("/batches/" + name + "/"))) {
                respond(exchange, 503, "{\"msg\":\"hidden by the test\"}");
                return;
            }
            HttpResponse<byte[]> answer = forward(exchange, method);
            boolean create = method.equals("POST") && path.equals("/batches") && answer.statusCode() == 201;
            if (create && hideNextCreated.compareAndSet(true, false)) {
                JsonNode batch = json.readTree(answer.body());
                hidden.add(batch.get("name").asText());
            }
            if (create && loseNextCreate.compareAndSet(true, false)) {
                lostCreates.incrementAndGet();
                return; // closed without an answer
            }
            exchange.getResponseHeaders()
                    .set(
                            "Content-Type",
                            answer.headers().firstValue("Content-Type").orElse("application/json"));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Livy unreachable (a restart): the driver sees the connection close, as it would.
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        livy.resolve(exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null
                                        ? ""
                                        : "?" + exchange.getRequestURI().getRawQuery())))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (PASSED_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Names of the batches Livy itself lists now. */
    List<String> batchNamesAtLivy() {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(livy.resolve("/batches?from=0&size=1000"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode sessions = json.readTree(response.body()).path("sessions");
            return StreamSupport.stream(sessions.spliterator(), false)
                    .map(session -> session.path("name").asText(null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Livy's own state of the batch named {@code name}, or null when Livy does not know it. */
    String stateAtLivy(String name) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(livy.resolve("/batches/" + name))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 404
                    ? null
                    : json.readTree(response.body()).path("state").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
