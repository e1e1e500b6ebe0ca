package dev.hubble.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Livy's batch REST API as the Spark driver uses it, in memory, counting what it is asked: every
 * {@code POST /batches} is counted per batch name, whether Livy would take it or not, so a test
 * can tell that no job was submitted twice. Batches stay {@code running} until the test finishes
 * them. Like Livy, a second batch with a name already taken is refused with 400 "Duplicate session
 * name", and a batch is found by its name or its number.
 */
final class FakeLivy implements AutoCloseable {

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ObjectNode> batches = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> submits = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private FakeLivy() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/batches", this::handle);
        server.start();
    }

    static FakeLivy start() {
        try {
            return new FakeLivy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many times a batch named {@code name} was asked for with {@code POST /batches}. */
    int submitsOf(String name) {
        AtomicInteger count = submits.get(name);
        return count == null ? 0 : count.get();
    }

    /** Every name a batch was asked for under, with the number of times. */
    Map<String, Integer> submits() {
        Map<String, Integer> all = new LinkedHashMap<>();
        submits.forEach((name, count) -> all.put(name, count.get()));
        return all;
    }

    boolean has(String name) {
        return batches.containsKey(name);
    }

    /** Moves a batch to {@code state} ({@code success}, {@code dead}...). */
    void finish(String name, String state) {
        ObjectNode batch = batches.get(name);
        if (batch == null) {
            throw new IllegalStateException("no batch " + name);
        }
        synchronized (batch) {
            batch.put("state", state);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
            String method = exchange.getRequestMethod();
            if (path.equals("/batches") && method.equals("POST")) {
                JsonNode request = json.readTree(exchange.getRequestBody());
                String name = request.path("name").asText();
                submits.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                ObjectNode batch = json.createObjectNode()
                        .put("id", ids.getAndIncrement())
                        .put("name", name)
                        .put("state", "running")
                        .putNull("appId");
                batch.putObject("appInfo");
                batch.putArray("log");
                if (batches.putIfAbsent(name, batch) != null) {
                    reply(exchange, 400, json.createObjectNode().put("msg", "Duplicate session name: " + name));
                    return;
                }
                reply(exchange, 201, batch);
                return;
            }
            String[] parts = path.split("/");
            if (parts.length < 3) {
                reply(exchange, 404, json.createObjectNode().put("msg", "not found"));
                return;
            }
            ObjectNode batch = find(URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
            if (batch == null) {
                reply(exchange, 404, json.createObjectNode().put("msg", "Session '" + parts[2] + "' not found."));
            } else if (parts.length == 4 && parts[3].equals("log")) {
                reply(
                        exchange,
                        200,
                        json.createObjectNode()
                                .put("id", batch.get("id").asInt())
                                .put("from", 0)
                                .put("total", 0)
                                .putArray("log"));
            } else if (method.equals("DELETE")) {
                batches.remove(batch.get("name").asText());
                reply(exchange, 200, json.createObjectNode().put("msg", "deleted"));
            } else {
                synchronized (batch) {
                    reply(exchange, 200, batch.deepCopy());
                }
            }
        }
    }

    private ObjectNode find(String nameOrId) {
        ObjectNode byName = batches.get(nameOrId);
        if (byName != null) {
            return byName;
        }
        return batches.values().stream()
                .filter(b -> b.get("id").asText().equals(nameOrId))
                .findFirst()
                .orElse(null);
    }

    private void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
