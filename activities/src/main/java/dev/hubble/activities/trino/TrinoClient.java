package dev.hubble.activities.trino;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.lang.Nullable;

/**
 * Trino's client REST protocol ({@code /v1/statement}), and the two query endpoints the driver
 * needs besides ({@code /v1/query}): start a statement, follow its {@code nextUri} page by page
 * with the rows streamed to a {@link RowSink} (never a whole page in memory), list and cancel
 * queries.
 *
 * <p>Requests answered 502, 503 or 504, or not answered, are tried again with a growing pause for
 * up to {@code retry-for}, as the protocol asks of clients; other answers are final. Thread-safe.
 */
final class TrinoClient {

    /** The client tag that marks a query as the one of a Hubble job: {@code hubble-job=<job id>}. */
    static final String JOB_TAG = "hubble-job=";

    private final TrinoProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String prefix;

    TrinoClient(TrinoProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.prefix = properties.headerPrefix();
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The coordinator's base URL. */
    URI url() {
        return properties.url();
    }

    /**
     * Starts {@code sql} as the query of job {@code jobId} and returns Trino's first answer (rows
     * in it, rare, go to {@code rows}). Sent once: a 502, 503 or 504 may come from a proxy after
     * Trino started the query, so the caller, who knows how to find such a query by its tag,
     * decides whether to send it again.
     *
     * @throws TrinoException when Trino refuses the request (4xx), answers 5xx or is unreachable
     */
    Page start(String jobId, String sql, @Nullable String catalog, @Nullable String schema, RowSink rows) {
        HttpRequest.Builder request = request(properties.url().resolve("/v1/statement"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .header(prefix + "Source", properties.source())
                .header(prefix + "Client-Tags", JOB_TAG + jobId)
                .header(prefix + "Client-Info", "Hubble job " + jobId)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        if (catalog != null) {
            request.header(prefix + "Catalog", catalog);
        }
        if (schema != null) {
            request.header(prefix + "Schema", schema);
        }
        if (!properties.sessionProperties().isEmpty()) {
            request.header(
                    prefix + "Session",
                    properties.sessionProperties().entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining(",")));
        }
        return page(request.build(), rows, false);
    }

    /** The next page of a query, its rows streamed to {@code rows}. */
    Page next(URI nextUri, RowSink rows) {
        return page(request(nextUri).GET().build(), rows, true);
    }

    /**
     * Cancels a query through its {@code nextUri}, the protocol's own way: Trino then ends it as
     * {@code USER_CANCELED}. Returns without confirming; see {@link #query}.
     */
    void abandon(URI nextUri) {
        send(request(nextUri).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Cancels any query by its id (Trino ends it as {@code USER_CANCELED}); does not wait. */
    void cancel(String queryId) {
        send(
                request(properties.url().resolve("/v1/query/" + queryId))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** What Trino says of one query now; empty when it does not know it (any more). */
    Optional<QueryInfo> query(String queryId) {
        HttpResponse<InputStream> response = send(
                request(properties.url().resolve("/v1/query/" + queryId)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 404 || response.statusCode() == 410) {
            close(response.body());
            return Optional.empty();
        }
        JsonNode info = readJson(response);
        return Optional.of(QueryInfo.of(info));
    }

    /** Every query Trino keeps (running ones and its recent history) that carries {@code tag}. */
    List<QueryInfo> queriesTagged(String tag) {
        HttpResponse<InputStream> response = send(
                request(properties.url().resolve("/v1/query")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        JsonNode all = readJson(response);
        List<QueryInfo> tagged = new ArrayList<>();
        for (JsonNode query : all) {
            for (JsonNode t : query.path("session").path("clientTags")) {
                if (tag.equals(t.asText())) {
                    tagged.add(QueryInfo.of(query));
                    break;
                }
            }
        }
        return tagged;
    }

    private JsonNode readJson(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new TrinoException(
                        response.statusCode(),
                        "Trino answered " + response.statusCode() + ": " + snippet(body.readNBytes(500)));
            }
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Trino's answer", e);
        }
    }

    private Page page(HttpRequest request, RowSink rows, boolean retry) {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), retry);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new TrinoException(
                        response.statusCode(),
                        "Trino answered " + response.statusCode() + " to " + request.method() + " "
                                + where(request.uri()) + ": " + snippet(body.readNBytes(500)));
            }
            return parse(body, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Trino's answer to " + where(request.uri()), e);
        }
    }

    /** Reads one page, streaming: only a row at a time is held, whatever the page's size. */
    private Page parse(InputStream body, RowSink rows) throws IOException {
        Page.Builder page = new Page.Builder();
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("Trino's answer is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> page.id = parser.getText();
                    case "infoUri" -> page.infoUri = parser.getText();
                    case "nextUri" ->
                        page.nextUri = value == JsonToken.VALUE_NULL ? null : URI.create(parser.getText());
                    case "updateType" -> page.updateType = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    case "columns" -> {
                        List<Column> columns = new ArrayList<>();
                        for (JsonNode column : (JsonNode) json.readTree(parser)) {
                            columns.add(new Column(
                                    column.path("name").asText(),
                                    column.path("type").asText()));
                        }
                        page.columns = columns;
                        rows.columns(columns);
                    }
                    case "data" -> {
                        if (value != JsonToken.START_ARRAY) {
                            parser.skipChildren();
                            continue;
                        }
                        if (page.columns == null && !rows.hasColumns()) {
                            throw new IOException("Trino sent rows before their columns");
                        }
                        while (parser.nextToken() == JsonToken.START_ARRAY) {
                            rows.row((JsonNode) json.readTree(parser));
                            page.rows++;
                        }
                    }
                    case "stats" -> {
                        JsonNode stats = json.readTree(parser);
                        page.state = stats.path("state").asText(null);
                        page.progress = stats.hasNonNull("progressPercentage")
                                ? stats.get("progressPercentage").asDouble()
                                : null;
                        page.processedRows = stats.path("processedRows").asLong();
                        page.processedBytes = stats.path("processedBytes").asLong();
                    }
                    case "error" ->
                        page.error = value == JsonToken.VALUE_NULL ? null : TrinoError.of(json.readTree(parser));
                    default -> parser.skipChildren();
                }
            }
        }
        return page.build();
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header(prefix + "User", properties.user())
                .header("User-Agent", "hubble-trino-driver");
        if (properties.password() != null) {
            String basic = properties.user() + ":" + properties.password();
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else if (properties.jwt() != null) {
            request.header("Authorization", "Bearer " + properties.jwt());
        }
        return request;
    }

    /**
     * Sends {@code request}, trying again while Trino answers 502, 503 or 504 or cannot be reached,
     * for up to {@code retry-for}.
     */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return send(request, handler, true);
    }

    /** Sends {@code request}; with {@code retry} false, once. */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, boolean retry) {
        long giveUpAt = System.nanoTime() + properties.retryFor().toNanos();
        long pause = 100;
        while (true) {
            Exception failure;
            try {
                HttpResponse<T> response = http.send(request, handler);
                int status = response.statusCode();
                if (!retry || status != 502 && status != 503 && status != 504) {
                    return response;
                }
                if (response.body() instanceof AutoCloseable body) {
                    close(body);
                }
                failure = new TrinoException(status, "Trino answered " + status);
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrinoException(0, "interrupted while waiting for Trino");
            }
            if (!retry || System.nanoTime() + pause * 1_000_000 > giveUpAt) {
                throw new TrinoException(
                        0,
                        "Trino at " + properties.url() + " did not answer " + request.method() + " "
                                + where(request.uri()) + " within " + properties.retryFor() + ": " + failure,
                        failure);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrinoException(0, "interrupted while waiting for Trino");
            }
            pause = Math.min(pause * 2, 2_000);
        }
    }

    /**
     * The path of {@code uri} up to the query id: a statement's {@code nextUri} also holds the
     * query's slug and token, which let anyone who has them read the rows or cancel the query,
     * so they stay out of messages and logs.
     */
    static String where(URI uri) {
        String[] parts = uri.getPath().split("/");
        if (parts.length > 5 && "statement".equals(parts[2])) {
            return String.join("/", Arrays.copyOf(parts, 5)) + "/…";
        }
        return uri.getPath();
    }

    private static String snippet(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    /** A result column: its name and Trino type, e.g. {@code decimal(12, 2)}. */
    record Column(String name, String type) {}

    /** Receives a query's rows as they arrive. Not thread-safe: one query's pages, in order. */
    interface RowSink {

        /** The query's columns, before its first row; may be called again with the same ones. */
        void columns(List<Column> columns) throws IOException;

        /** Whether {@link #columns} was called. */
        boolean hasColumns();

        /** One row, a JSON array of values in Trino's JSON encoding. */
        void row(JsonNode row) throws IOException;
    }

    /** A {@link RowSink} that ignores rows, for statements whose rows nobody reads. */
    static final RowSink NO_ROWS = new RowSink() {
        @Override
        public void columns(List<Column> columns) {}

        @Override
        public boolean hasColumns() {
            return true;
        }

        @Override
        public void row(JsonNode row) {}
    };

    /**
     * One answer of the protocol, less its rows.
     *
     * @param state Trino's state of the query, e.g. {@code QUEUED}, {@code RUNNING}, {@code FINISHED}
     * @param progress Trino's estimate, 0 to 100, when it has one
     * @param rows rows in this page
     */
    record Page(
            String id,
            @Nullable String infoUri,
            @Nullable URI nextUri,
            @Nullable List<Column> columns,
            @Nullable String state,
            @Nullable Double progress,
            long processedRows,
            long processedBytes,
            @Nullable TrinoError error,
            @Nullable String updateType,
            long rows) {

        private static final class Builder {
            private String id;
            private String infoUri;
            private URI nextUri;
            private List<Column> columns;
            private String state;
            private Double progress;
            private long processedRows;
            private long processedBytes;
            private TrinoError error;
            private String updateType;
            private long rows;

            Page build() {
                if (id == null) {
                    throw new IllegalStateException("Trino's answer has no query id");
                }
                return new Page(
                        id,
                        infoUri,
                        nextUri,
                        columns,
                        state,
                        progress,
                        processedRows,
                        processedBytes,
                        error,
                        updateType,
                        rows);
            }
        }
    }

    /**
     * Trino's error of a failed query.
     *
     * @param errorName e.g. {@code SYNTAX_ERROR}, {@code TABLE_NOT_FOUND}, {@code USER_CANCELED}
     * @param errorType {@code USER_ERROR}, {@code INTERNAL_ERROR}, {@code INSUFFICIENT_RESOURCES}
     *     or {@code EXTERNAL}
     * @param detail the first lines of Trino's stack trace, when it sent one
     */
    record TrinoError(
            String message,
            String errorName,
            String errorType,
            @Nullable String detail) {

        static TrinoError of(JsonNode error) {
            String detail = null;
            JsonNode stack = error.path("failureInfo").path("stack");
            if (stack.isArray() && !stack.isEmpty()) {
                StringBuilder text =
                        new StringBuilder(error.path("failureInfo").path("type").asText(""));
                for (int i = 0; i < Math.min(10, stack.size()); i++) {
                    text.append("\n  at ").append(stack.get(i).asText());
                }
                detail = text.toString();
            }
            return new TrinoError(
                    error.path("message").asText("Trino reported an error without a message"),
                    error.path("errorName").asText("UNKNOWN"),
                    error.path("errorType").asText("UNKNOWN"),
                    detail);
        }

        /** The error as a job shows it: Trino's name, then Trino's message. */
        String describe() {
            return errorName + ": " + message;
        }
    }

    /**
     * What {@code /v1/query} says of a query.
     *
     * @param state e.g. {@code RUNNING}, {@code FINISHED}, {@code FAILED}
     * @param errorName why it failed, e.g. {@code USER_CANCELED}; null unless it failed
     */
    record QueryInfo(String queryId, String state, @Nullable String errorName) {

        static QueryInfo of(JsonNode query) {
            JsonNode errorCode = query.path("errorCode");
            return new QueryInfo(
                    query.path("queryId").asText(),
                    query.path("state").asText(),
                    errorCode.isObject() ? errorCode.path("name").asText(null) : null);
        }

        /** Whether the query has ended, one way or another. */
        boolean done() {
            return "FINISHED".equals(state) || "FAILED".equals(state);
        }
    }
}
