package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Bad input never hurts: random REST requests (methods, paths, headers, bodies of every size and
 * encoding, sent as raw bytes so that nothing is cleaned up on the way) get no 5xx, random
 * command records all go to the dead-letter topic with a reason, and valid jobs submitted in
 * between all succeed. The random input comes from one seed, printed at the start and in every
 * failure: {@code -Dhubble.fuzz.seed=<seed>} replays it.
 */
class BadInputFuzzTest {

    private static final long SEED = Long.getLong("hubble.fuzz.seed", System.nanoTime());
    private static final int REQUESTS = 10_000;
    private static final int RECORDS = 2_000;
    private static final int VALID_EVERY = 250;

    private final LocalStack stack = LocalStack.get();

    @Test
    void randomRequestsGetNo5xxAndValidJobsInBetweenSucceed() throws Exception {
        System.out.println("BadInputFuzzTest REST seed: " + SEED);
        Random random = new Random(SEED);
        String validSource = "fuzz-rest-" + SEED;
        List<String> valid = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            if (i % VALID_EVERY == 0) {
                valid.add(stack.submit(
                        Map.of("query", "select " + i + " as n", "driver", "duckdb", "source", validSource)));
            }
            RawRequest request = RawRequest.random(random, valid);
            int status = send(request);
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500 || status < 100) {
                failures.add("request " + i + " answered " + (status < 0 ? "nothing" : status) + ": " + request);
            }
        }
        System.out.printf(
                "BadInputFuzzTest: %d requests in %d ms, statuses %s%n",
                REQUESTS, Duration.ofNanos(System.nanoTime() - started).toMillis(), statuses);

        assertThat(failures)
                .as("seed %d (replay with -Dhubble.fuzz.seed=%d)", SEED, SEED)
                .isEmpty();
        for (String jobId : valid) {
            stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(3));
        }
        assertThat(stack.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void randomCommandsAreAllDeadLetteredWithAReasonAndValidOnesInBetweenSucceed() {
        System.out.println("BadInputFuzzTest Kafka seed: " + SEED);
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        String validSource = "fuzz-kafka-" + SEED;
        Map<String, String> refused = new LinkedHashMap<>();
        Map<String, Integer> refusedByTheBroker = new TreeMap<>();
        int validCount = 0;
        for (int i = 0; refused.size() < RECORDS && i < 2 * RECORDS; i++) {
            if (i % (RECORDS / 10) == 0) {
                stack.send(validCommand(validSource, i));
                validCount++;
            }
            BadRecord bad = BadRecord.random(random);
            RecordMetadata sent;
            try {
                sent = stack.send(bad.record());
            } catch (IllegalStateException e) {
                // The broker itself refused the record (InvalidRecordException): it never reaches Hubble.
                refusedByTheBroker.merge(bad.kind(), 1, Integer::sum);
                continue;
            }
            refused.put(sent.topic() + "-" + sent.partition() + "@" + sent.offset(), bad.toString());
        }
        System.out.printf("BadInputFuzzTest: records the broker refused itself: %s%n", refusedByTheBroker);

        assertThat(refused).as("records that reached Hubble").hasSize(RECORDS);
        Map<String, String> reasons = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> deadLetterReasons(refused.keySet()), found -> found.size() == refused.size());
        assertThat(reasons)
                .as("seed %d: every refused record is dead-lettered with a reason", SEED)
                .allSatisfy((origin, reason) -> assertThat(reason)
                        .as("%s: %s", origin, refused.get(origin))
                        .matches("[a-z-]+: .+"));
        System.out.printf(
                "BadInputFuzzTest: %d refused records, reasons %s%n",
                refused.size(),
                reasons.values().stream()
                        .collect(Collectors.groupingBy(
                                r -> r.substring(0, r.indexOf(':')), TreeMap::new, Collectors.counting())));

        int expected = validCount;
        List<JsonNode> jobs = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> finishedJobs(validSource), found -> found.size() == expected);
        assertThat(jobs)
                .as("seed %d", SEED)
                .allSatisfy(job -> assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED"));
    }

    /** The reason of each dead letter whose origin is one of {@code origins}. */
    private Map<String, String> deadLetterReasons(Set<String> origins) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : stack.deadLetters().records()) {
            Map<String, String> headers = TopicLog.headers(letter);
            if (origins.contains(headers.get("hubble_dlq_origin"))) {
                reasons.put(headers.get("hubble_dlq_origin"), String.valueOf(headers.get("hubble_dlq_reason")));
            }
        }
        return reasons;
    }

    private List<JsonNode> finishedJobs(String source) {
        HttpResponse<String> response = stack.get("/v1/jobs?limit=500&source=" + source);
        List<JsonNode> finished = new ArrayList<>();
        stack.read(response.body()).get("jobs").forEach(job -> {
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")
                    .contains(job.get("state").asText())) {
                finished.add(job);
            }
        });
        return finished;
    }

    private static ProducerRecord<byte[], byte[]> validCommand(String source, int i) {
        RecordHeaders headers = new RecordHeaders();
        Map.of(
                        "ce_specversion",
                        "1.0",
                        "ce_id",
                        UUID.randomUUID().toString(),
                        "ce_source",
                        "/fuzz",
                        "ce_type",
                        "hubble.job.submit",
                        "content-type",
                        "application/json")
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        String data = "{\"query\": \"select " + i + " as n\", \"driver\": \"duckdb\", \"source\": \"" + source + "\"}";
        return new ProducerRecord<>(
                "hubble.job-commands",
                null,
                source.getBytes(StandardCharsets.UTF_8),
                data.getBytes(StandardCharsets.UTF_8),
                headers);
    }

    /** Sends the request as raw bytes and returns the status of the answer, or -1 for none. */
    private int send(RawRequest request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.api.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before a large body is sent: read its answer.
            }
            return status(socket.getInputStream());
        } catch (IOException e) {
            return -1;
        }
    }

    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        String[] parts = line.toString(StandardCharsets.ISO_8859_1).split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return -1;
        }
        in.transferTo(OutputStream.nullOutputStream());
        return Integer.parseInt(parts[1]);
    }

    /** One random HTTP/1.1 request. */
    record RawRequest(String method, String target, Map<String, String> headers, byte[] body, String bodyKind) {

        private static final List<String> METHODS = List.of(
                "GET", "GET", "POST", "POST", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "FROB");
        private static final List<String> CONTENT_TYPES = List.of(
                "application/json",
                "application/json",
                "application/json; charset=UTF-8",
                "application/json; charset=UTF-16",
                "application/json; charset=nope",
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/cloudevents+json",
                "application/problem+json",
                "*/*",
                "a/b/c",
                "",
                ";;;",
                "application/json;q");
        private static final List<String> ACCEPTS = List.of(
                "*/*",
                "application/json",
                "application/problem+json",
                "application/xml",
                "text/html",
                "image/png",
                "nothing/at-all",
                "",
                "*/*;q=x");
        private static final List<String> STATES =
                List.of("QUEUED", "RUNNING", "SUCCEEDED", "running", "", "NOPE", "%00");

        static RawRequest random(Random random, List<String> knownJobs) {
            String method = pick(random, METHODS);
            String target = target(random, knownJobs);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "localhost");
            if (random.nextInt(10) < 8) {
                headers.put("Content-Type", pick(random, CONTENT_TYPES));
            }
            if (random.nextInt(3) == 0) {
                headers.put("Accept", pick(random, ACCEPTS));
            }
            if (random.nextInt(4) == 0) {
                headers.put("Idempotency-Key", text(random, random.nextInt(3) == 0 ? 2_000 : 40));
            }
            if (random.nextInt(6) == 0) {
                headers.put("Authorization", random.nextBoolean() ? "Bearer " + text(random, 60) : text(random, 30));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                headers.put("X-" + token(random, 1 + random.nextInt(20)), text(random, random.nextInt(200)));
            }
            String[] kind = new String[1];
            byte[] body = body(random, kind);
            if (random.nextInt(8) == 0) {
                headers.put(
                        "Content-Encoding",
                        random.nextBoolean() ? "gzip" : pick(random, List.of("br", "deflate", "x", "")));
                if ("gzip".equals(headers.get("Content-Encoding")) && random.nextBoolean()) {
                    body = gzip(body);
                }
            }
            return new RawRequest(method, target, headers, body, kind[0]);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head =
                    new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            // Any byte but CR and LF, which would end the header: framing is not what is tested here.
            headers.forEach((name, value) -> head.append(name)
                    .append(": ")
                    .append(value.replaceAll("[\r\n]", " "))
                    .append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String shown = target.length() > 200 ? target.substring(0, 200) + "…(" + target.length() + ")" : target;
            return method + " " + shown + " " + headers.keySet() + " Content-Type=" + headers.get("Content-Type")
                    + " body=" + bodyKind + " (" + body.length + " bytes)";
        }

        private static String target(Random random, List<String> knownJobs) {
            String id = switch (random.nextInt(8)) {
                case 0, 1 -> knownJobs.isEmpty() ? UUID.randomUUID().toString() : pick(random, knownJobs);
                case 2 -> UUID.randomUUID().toString();
                case 3 -> encoded(random, text(random, 1 + random.nextInt(40)));
                case 4 ->
                    pick(
                            random,
                            List.of(
                                    "%zz",
                                    "%", "%00", "%2F", "..", "%2e%2e", ".", "%C3%28", "%FF%FE", ";x=1", "a%0Ab"));
                case 5 -> "x".repeat(random.nextInt(3) == 0 ? 9_000 : 65);
                case 6 -> token(random, 1 + random.nextInt(64));
                default -> "";
            };
            return switch (random.nextInt(11)) {
                case 0, 1 -> "/v1/jobs";
                case 2, 3 -> "/v1/jobs/" + id;
                case 4 -> "/v1/jobs/" + id + "/errors";
                case 5 ->
                    "/v1/jobs/" + id + "/results/" + encoded(random, text(random, 12))
                            + (random.nextBoolean()
                                    ? "?expires=" + random.nextLong() + "&signature=" + token(random, 43)
                                    : "");
                case 6 -> "/v1/jobs?" + query(random);
                case 7 -> "/v1/jobs/" + id + "/" + token(random, 8);
                case 8 ->
                    pick(
                            random,
                            List.of(
                                    "/",
                                    "/actuator/health",
                                    "/actuator/prometheus",
                                    "/v3/api-docs",
                                    "/v1",
                                    "/v1/",
                                    "/v1/jobs/",
                                    "//v1//jobs",
                                    "/v1/jobs/../jobs",
                                    "/error",
                                    "*"));
                case 9 -> "/" + encoded(random, text(random, random.nextInt(100)));
                default -> "/v1/jobs/" + id + "?" + query(random);
            };
        }

        private static String query(Random random) {
            List<String> parts = new ArrayList<>();
            for (int i = random.nextInt(5); i >= 0; i--) {
                String name = pick(random, List.of("source", "state", "driver", "limit", "x", "", "source[]"));
                String value = switch (random.nextInt(5)) {
                    case 0 -> pick(random, STATES);
                    case 1 -> Integer.toString(random.nextInt(2_000) - 500);
                    case 2 -> "99999999999999999999";
                    case 3 -> encoded(random, text(random, random.nextInt(50)));
                    default -> pick(random, List.of("duckdb", "local-python", "spark", "nope", "%zz"));
                };
                parts.add(name + (random.nextInt(10) == 0 ? "" : "=" + value));
            }
            return String.join("&", parts);
        }

        private static byte[] body(Random random, String[] kind) {
            switch (random.nextInt(10)) {
                case 0:
                    kind[0] = "empty";
                    return new byte[0];
                case 1:
                    kind[0] = "random bytes";
                    return bytes(random, random.nextInt(4) == 0 ? 100_000 : 2_000);
                case 2:
                    kind[0] = "utf-16 json";
                    return job(random).getBytes(StandardCharsets.UTF_16);
                case 3:
                    kind[0] = "deep nesting";
                    int depth = 1 + random.nextInt(5_000);
                    return ("{\"query\": " + "[".repeat(depth) + "]".repeat(depth) + "}")
                            .getBytes(StandardCharsets.UTF_8);
                case 4:
                    kind[0] = "large query";
                    return ("{\"query\": \"select '" + "x".repeat(random.nextInt(200_000))
                                    + "'\", \"driver\": \"duckdb\"," + " \"source\": \"fuzz\"}")
                            .getBytes(StandardCharsets.UTF_8);
                case 5:
                    kind[0] = "mutated json";
                    return mutate(random, job(random).getBytes(StandardCharsets.UTF_8));
                case 6:
                    kind[0] = "invalid utf-8 in json";
                    byte[] json = job(random).getBytes(StandardCharsets.UTF_8);
                    json[random.nextInt(json.length)] = (byte) (0x80 + random.nextInt(0x80));
                    return json;
                case 7:
                    kind[0] = "json of another shape";
                    return pick(
                                    random,
                                    List.of(
                                            "[]",
                                            "null",
                                            "42",
                                            "\"text\"",
                                            "true",
                                            "{\"a\": {\"b\": [1, 2, {}]}}",
                                            "{\"query\": {}, \"driver\": [], \"source\": 1e999999}",
                                            "{\"message\": \"x\", \"detail\": []}",
                                            "{\"priority\": 1e10, \"timeout\": \"P1000000000D\"}",
                                            "{\"timeout\": \"PT-1S\"}",
                                            "{\"parameters\": {\"\": \"x\", \"a b\": null}}",
                                            "{\"parameters\": [1]}"))
                            .getBytes(StandardCharsets.UTF_8);
                default:
                    kind[0] = "job-like json";
                    return job(random).getBytes(StandardCharsets.UTF_8);
            }
        }

        /** A job body: valid fields and odd ones, mixed. Valid queries are cheap for DuckDB. */
        private static String job(Random random) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (random.nextInt(5) > 0) {
                fields.put("query", json(random.nextInt(3) == 0 ? text(random, 50) : "select " + random.nextInt(100)));
            }
            if (random.nextInt(5) > 0) {
                fields.put(
                        "driver",
                        json(pick(
                                random,
                                List.of("duckdb", "local-python", "spark", "python", "", "DUCKDB", text(random, 8)))));
            }
            if (random.nextInt(3) == 0) {
                fields.put("format", json(pick(random, List.of("csv", "parquet", "CSV", "xlsx", ""))));
            }
            if (random.nextInt(5) > 0) {
                fields.put("source", random.nextInt(10) == 0 ? "null" : json("fuzz-" + text(random, 10)));
            }
            if (random.nextInt(4) == 0) {
                fields.put(
                        "priority", pick(random, List.of("0", "9", "10", "-1", "5.5", "\"5\"", "null", "99999999999")));
            }
            if (random.nextInt(4) == 0) {
                fields.put(
                        "timeout",
                        json(pick(random, List.of("PT1M", "PT0S", "P8D", "1h", "", "PT-5M", "P99999999999D"))));
            }
            if (random.nextInt(4) == 0) {
                fields.put("parameters", "{" + json(text(random, 5)) + ": " + json(text(random, 10)) + "}");
            }
            if (random.nextInt(6) == 0) {
                fields.put(
                        "parentJobId",
                        json(random.nextBoolean() ? UUID.randomUUID().toString() : text(random, 20)));
            }
            if (random.nextInt(6) == 0) {
                fields.put(text(random, 6), json(text(random, 6)));
            }
            return fields.entrySet().stream()
                    .map(e -> json(e.getKey()) + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}"));
        }

        private static byte[] mutate(Random random, byte[] input) {
            byte[] bytes = input.clone();
            for (int i = 1 + random.nextInt(4); i > 0 && bytes.length > 0; i--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            return bytes;
        }

        private static String json(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        /** Random text: ASCII, control characters, accents, CJK, emoji and lone surrogates. */
        private static String text(Random random, int length) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(10)) {
                    case 0 -> text.append((char) random.nextInt(0x20));
                    case 1 -> text.append((char) (0xC0 + random.nextInt(0x100)));
                    case 2 -> text.append((char) (0x4E00 + random.nextInt(0x5000)));
                    case 3 -> text.appendCodePoint(0x1F600 + random.nextInt(0x50));
                    case 4 -> text.append((char) (0xD800 + random.nextInt(0x800)));
                    default -> text.append((char) (0x21 + random.nextInt(0x5E)));
                }
            }
            return text.toString();
        }

        /** Characters allowed in a header name, or a path segment without escapes. */
        private static String token(Random random, int length) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!$&'*+";
            StringBuilder token = new StringBuilder();
            for (int i = 0; i < length; i++) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return token.toString();
        }

        private static String encoded(Random random, String text) {
            return random.nextInt(5) == 0
                    ? text.replaceAll("[\\s\\p{Cntrl}]", "")
                    : URLEncoder.encode(text, StandardCharsets.UTF_8);
        }

        private static byte[] bytes(Random random, int max) {
            byte[] bytes = new byte[random.nextInt(max + 1)];
            random.nextBytes(bytes);
            return bytes;
        }

        private static byte[] gzip(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }
    }

    /** One command record that Hubble must refuse, and what kind of bad it is. */
    record BadRecord(String kind, ProducerRecord<byte[], byte[]> record) {

        private static final List<String> CONTENT_TYPES = List.of(
                "application/json",
                "application/cloudevents+json",
                "text/plain",
                "application/xml",
                "application/octet-stream",
                "",
                "a/b",
                "application/json; charset=UTF-16");

        static BadRecord random(Random random) {
            RecordHeaders headers = new RecordHeaders();
            byte[] key = random.nextInt(4) == 0 ? null : bytes(random, 40);
            byte[] value;
            String kind;
            switch (random.nextInt(9)) {
                case 0 -> {
                    kind = "random bytes, no headers";
                    value = bytes(random, 5_000);
                }
                case 1 -> {
                    kind = "random headers and bytes";
                    for (int i = random.nextInt(6); i >= 0; i--) {
                        // Names the broker accepts (it refuses some of arbitrary Unicode); values of any bytes.
                        headers.add(RawRequest.token(random, 1 + random.nextInt(12)), bytes(random, 50));
                    }
                    value = bytes(random, 2_000);
                }
                case 2 -> {
                    kind = "unknown type";
                    ce(headers, random, "hubble.job." + RawRequest.token(random, 6), "application/json");
                    value = "{}".getBytes(StandardCharsets.UTF_8);
                }
                case 3 -> {
                    kind = "submit without a source";
                    ce(headers, random, "hubble.job.submit", "application/json");
                    value = ("{\"query\": \"select 1\", \"driver\": " + RawRequest.json(RawRequest.text(random, 6))
                                    + ", \"x\": " + random.nextInt() + "}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                case 4 -> {
                    kind = "submit with random data";
                    ce(headers, random, "hubble.job.submit", pick(random, CONTENT_TYPES));
                    value = random.nextBoolean() ? bytes(random, 3_000) : null;
                }
                case 5 -> {
                    kind = "broken structured event";
                    headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
                    String event =
                            "{\"specversion\": \"1.0\", \"id\": \"" + UUID.randomUUID() + "\", \"source\": \"/fuzz\","
                                    + " \"type\": \"hubble.job.submit\", \"data\": {\"query\": \"select 1\"}}";
                    value = RawRequest.mutate(random, event.getBytes(StandardCharsets.UTF_8));
                    // A mutation that leaves the event whole still lacks a source and driver: refused.
                }
                case 6 -> {
                    kind = "cancel of an unknown job";
                    ce(headers, random, "hubble.job.cancel", "application/json");
                    if (random.nextBoolean()) {
                        headers.add("ce_subject", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                        value = new byte[0];
                    } else {
                        value = ("{\"jobId\": " + RawRequest.json(RawRequest.text(random, 20)) + "}")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                }
                case 7 -> {
                    kind = "wrong spec version";
                    ce(headers, random, "hubble.job.submit", "application/json");
                    headers.remove("ce_specversion");
                    headers.add(
                            "ce_specversion",
                            pick(random, List.of("0.3", "2.0", "", "1.0.0", "x"))
                                    .getBytes(StandardCharsets.UTF_8));
                    value = "{\"query\": \"select 1\", \"driver\": \"nope\"}".getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    kind = "headers of invalid UTF-8";
                    ce(headers, random, "hubble.job.submit", "application/json");
                    headers.remove("ce_id");
                    headers.add("ce_id", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
                    value = "{\"driver\": \"duckdb\"}".getBytes(StandardCharsets.UTF_8);
                }
            }
            return new BadRecord(kind, new ProducerRecord<>("hubble.job-commands", null, key, value, headers));
        }

        private static void ce(RecordHeaders headers, Random random, String type, String contentType) {
            Map.of(
                            "ce_specversion",
                            "1.0",
                            "ce_id",
                            RawRequest.text(random, 1 + random.nextInt(30)),
                            "ce_source",
                            "/fuzz/" + RawRequest.text(random, 5),
                            "ce_type",
                            type,
                            "content-type",
                            contentType)
                    .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        }

        private static byte[] bytes(Random random, int max) {
            return RawRequest.bytes(random, max);
        }

        @Override
        public String toString() {
            return kind + " (" + (record.value() == null ? "null" : record.value().length + " bytes") + ")";
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
