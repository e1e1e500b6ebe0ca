package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.hubble.core.security.JobTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.Environment;

/**
 * Everything a stack prints, from its start to its stop, while it runs jobs of both local
 * drivers submitted over REST and Kafka, cancels one by a Kafka command, takes error reports
 * and progress pushes with job tokens (valid, forged and of another job), and hands out presigned
 * S3 links that are downloaded: none of it holds a job token, a presigned URL's signature or
 * credential, the S3 secret key, the Redis password, the token secret or anything shaped like
 * a JWT or a bearer credential.
 *
 * <p>What is scanned is the console of the stack's JVM, as its operator sees it: every log line
 * of every thread, the exceptions with them, and anything a library prints itself. The Spark
 * driver is left out: a Spark job through Livy costs a child JVM and tens of seconds on a
 * two-core machine, and its secrets (the job's token) travel in the staged job file, which no
 * log of Hubble reads. Authentication is on, as in production: every API call carries a bearer
 * JWT the test signs against a JWK set it serves, and a JWT of a stranger's key and an expired
 * one are refused on the way.
 */
class NothingSecretIsLoggedTest {

    /** Hours of counting: it only ends when cancelled or timed out (10^11 rows took 36 s on 2 cores). */
    private static final String LONG_QUERY = "select count(*) from range(100000000000000)";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern AMZ = Pattern.compile("(?i)x-amz-(signature|credential|security-token)");

    @Test
    void noSecretAppearsInAnythingTheStackPrints(@TempDir Path tmp) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(tee(out, printed));
        System.setErr(tee(err, printed));
        List<String> secrets = new ArrayList<>();
        List<String> jobIds = new ArrayList<>();
        int downloads;
        String source = "no-leaks-" + UUID.randomUUID();
        RSAKey key = rsaKey();
        HttpServer jwks = jwkSetServer(key);
        try (ChildRedis redis = ChildRedis.start(tmp.resolve("redis"))) {
            secrets.add(redis.password());
            List<String> args = new ArrayList<>(redis.stackArgs());
            args.add("--hubble.api.auth.jwt.jwk-set-uri=http://127.0.0.1:"
                    + jwks.getAddress().getPort() + "/jwks.json");
            try (LocalStack stack = LocalStack.start(tmp.resolve("data"), args.toArray(String[]::new))) {
                Environment environment = stack.context.getEnvironment();
                secrets.add(environment.getRequiredProperty("hubble.results.s3.secret-access-key"));
                secrets.add(environment.getRequiredProperty("hubble.jobs.token-secret"));
                secrets.add(environment.getRequiredProperty("hubble.results.local.signing-key"));
                String jwt = jwt(key, source, Instant.now().plusSeconds(3600));
                String stranger = jwt(rsaKey(), source, Instant.now().plusSeconds(3600));
                String expired = jwt(key, source, Instant.now().minusSeconds(60));
                secrets.addAll(List.of(jwt, stranger, expired));
                assertThat(stack.get("/v1/jobs?source=" + source).statusCode()).isEqualTo(401);
                stack.authorize("Bearer " + stranger);
                assertThat(stack.get("/v1/jobs?source=" + source).statusCode()).isEqualTo(401);
                stack.authorize("Bearer " + expired);
                assertThat(stack.get("/v1/jobs?source=" + source).statusCode()).isEqualTo(401);
                stack.authorize("Bearer " + jwt);
                assertThat(stack.get("/v1/jobs?source=" + source).statusCode()).isEqualTo(200);
                downloads = runJobs(stack, source, secrets, jobIds);
            }
        } finally {
            jwks.stop(0);
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }

        String log = printed.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the stack's console").contains("Hubble is ready", "Accepted job " + jobIds.get(0));
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            if (log.contains(secret)) {
                leaks.add("a secret (" + secret.length() + " characters): " + lineWith(log, secret));
            }
        }
        for (String jobId : jobIds) {
            // Every job token starts with its job's id in base64url, then a dot and the expiry.
            String tokenStart = BASE64URL.encodeToString(jobId.getBytes(StandardCharsets.UTF_8)) + ".";
            if (log.contains(tokenStart)) {
                leaks.add("a token of job " + jobId + ": " + lineWith(log, tokenStart));
            }
        }
        for (Pattern pattern : List.of(JWT, BEARER, AMZ)) {
            Matcher matcher = pattern.matcher(log);
            if (matcher.find()) {
                leaks.add(pattern + ": " + lineWith(log, matcher.group()));
            }
        }
        System.out.printf(
                "Scanned %d lines (%d bytes) the stack printed while it ran %d jobs with %d downloads, for %d"
                        + " secrets and %d jobs' tokens: %d leaks%n",
                log.lines().count(),
                log.length(),
                jobIds.size(),
                downloads,
                secrets.size(),
                jobIds.size(),
                leaks.size());
        assertThat(leaks).as("secrets in the stack's output").isEmpty();
    }

    /** Runs the jobs; adds the secrets it handles to {@code secrets}; returns the links it downloaded. */
    private int runJobs(LocalStack stack, String source, List<String> secrets, List<String> jobIds) {
        JobTokens tokens = stack.context.getBean(JobTokens.class);

        // REST: both local drivers, a job that reports its own error with its token, one that fails.
        String sql = stack.submit(job("duckdb", "select 42 as answer", source, Map.of()));
        String python = stack.submit(job("local-python", "hello", source, Map.of("name", "Hubble")));
        String reports = stack.submit(job("local-python", "reports_error", source, Map.of()));
        String fails = stack.submit(job("local-python", "fails", source, Map.of()));
        String sleeper = stack.submit(job("local-python", "sleeps", source, Map.of("seconds", "600")));
        jobIds.addAll(List.of(sql, python, reports, fails, sleeper));

        // Kafka: a submit command, and a cancel command for a long query.
        String commandId = UUID.randomUUID().toString();
        stack.send(command(commandId, "hubble.job.submit", "k-" + commandId, """
                {"query": "select 7 as seven", "driver": "duckdb", "format": "parquet", "source": "%s",
                 "sourceId": "from-kafka"}""".formatted(source)));
        String longQuery = stack.submit(job("duckdb", LONG_QUERY, source, Map.of()));
        jobIds.add(longQuery);
        stack.awaitState(longQuery, "RUNNING");
        RecordHeaders cancel = headers(UUID.randomUUID().toString(), "hubble.job.cancel");
        cancel.add("ce_subject", longQuery.getBytes(StandardCharsets.UTF_8));
        stack.send(new ProducerRecord<>(
                "hubble.job-commands", null, longQuery.getBytes(StandardCharsets.UTF_8), new byte[0], cancel));

        // The executor's calls, with the job's own token, a forged one and another job's.
        stack.awaitState(sleeper, "RUNNING");
        String token = tokens.issue(sleeper, Duration.ofHours(1));
        secrets.add(token);
        String otherJobsToken = tokens.issue(sql, Duration.ofHours(1));
        secrets.add(otherJobsToken);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItYS10ZXN0";
        secrets.add(forged.substring(forged.lastIndexOf('.') + 1));
        assertThat(stack.post(
                                "/v1/jobs/" + sleeper + "/status",
                                Map.of("phase", "RUNNING", "message", "half way"),
                                Map.of("Authorization", "Bearer " + token))
                        .statusCode())
                .isEqualTo(202);
        assertThat(stack.post(
                                "/v1/jobs/" + sleeper + "/errors",
                                Map.of("message", "the input is missing", "detail", "looked everywhere"),
                                Map.of("Authorization", "Bearer " + token))
                        .statusCode())
                .isEqualTo(202);
        assertThat(stack.post(
                                "/v1/jobs/" + sleeper + "/errors",
                                Map.of("message", "forged"),
                                Map.of("Authorization", "Bearer " + forged))
                        .statusCode())
                .isIn(401, 403);
        assertThat(stack.post(
                                "/v1/jobs/" + sleeper + "/errors",
                                Map.of("message", "not mine"),
                                Map.of("Authorization", "Bearer " + otherJobsToken))
                        .statusCode())
                .isIn(401, 403);
        assertThat(stack.delete("/v1/jobs/" + sleeper).statusCode()).isEqualTo(202);

        stack.awaitState(sql, "SUCCEEDED");
        stack.awaitState(python, "SUCCEEDED");
        stack.awaitState(reports, "FAILED");
        stack.awaitState(fails, "FAILED");
        stack.awaitState(longQuery, "CANCELLED");
        JsonNode cancelled = stack.awaitState(sleeper, "CANCELLED");
        assertThat(cancelled.toString()).doesNotContain(token);
        String fromCommand = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> stack.statusEvents().ofSource(source).stream()
                                .filter(e -> e.data().path("sourceId").asText().equals("from-kafka"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow()
                .jobId();
        jobIds.add(fromCommand);
        stack.awaitState(fromCommand, "SUCCEEDED");

        // Presigned links, from the job documents and the result listings, downloaded.
        int downloads = 0;
        for (String jobId : List.of(sql, python, fromCommand)) {
            List<String> urls = new ArrayList<>();
            stack.awaitState(jobId, "SUCCEEDED")
                    .path("result")
                    .path("files")
                    .forEach(f -> urls.add(f.get("url").asText()));
            stack.read(stack.get("/v1/jobs/" + jobId + "/results").body())
                    .path("files")
                    .forEach(f -> urls.add(f.get("url").asText()));
            assertThat(urls).isNotEmpty();
            for (String url : urls) {
                Map<String, String> query = query(URI.create(url));
                assertThat(query).containsKeys("X-Amz-Signature", "X-Amz-Credential");
                secrets.add(query.get("X-Amz-Signature"));
                secrets.add(url);
                HttpResponse<byte[]> download = stack.download(url);
                assertThat(download.statusCode()).isEqualTo(200);
                downloads++;
            }
            assertThat(stack.get("/v1/jobs/" + jobId + "/log").statusCode()).isEqualTo(200);
        }
        return downloads;
    }

    private static String jwt(RSAKey key, String subject, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    new JWTClaimsSet.Builder()
                            .subject(subject)
                            .issueTime(Date.from(Instant.now().minusSeconds(120)))
                            .expirationTime(Date.from(expires))
                            .build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("no-leaks").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the public half of {@code key} as a JWK set, as an identity provider does. */
    private static HttpServer jwkSetServer(RSAKey key) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Map<String, Object> job(String driver, String query, String source, Map<String, String> parameters) {
        return new LinkedHashMap<>(
                Map.of("query", query, "driver", driver, "source", source, "parameters", parameters));
    }

    private static ProducerRecord<byte[], byte[]> command(String id, String type, String key, String data) {
        RecordHeaders headers = headers(id, type);
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                "hubble.job-commands",
                null,
                key.getBytes(StandardCharsets.UTF_8),
                data.getBytes(StandardCharsets.UTF_8),
                headers);
    }

    private static RecordHeaders headers(String id, String type) {
        RecordHeaders headers = new RecordHeaders();
        Map.of("ce_specversion", "1.0", "ce_id", id, "ce_source", "/no-leaks", "ce_type", type)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /** The line of {@code log} where {@code needle} first occurs, with the needle masked. */
    private static String lineWith(String log, String needle) {
        int at = log.indexOf(needle);
        int start = log.lastIndexOf('\n', at) + 1;
        int end = log.indexOf('\n', at);
        String line = log.substring(start, end < 0 ? log.length() : end);
        return line.replace(needle, "<" + needle.length() + " characters>");
    }

    /** A stream that writes to {@code console} and to {@code copy}. */
    private static PrintStream tee(PrintStream console, ByteArrayOutputStream copy) {
        return new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        console.write(b);
                        synchronized (copy) {
                            copy.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        console.write(b, off, len);
                        synchronized (copy) {
                            copy.write(b, off, len);
                        }
                    }

                    @Override
                    public void flush() {
                        console.flush();
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }
}
