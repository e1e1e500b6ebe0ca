package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.s3.S3ResultStore;
import dev.hubble.core.results.s3.S3ResultsProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What S3 results cost, measured, not asserted, on the local stack's embedded S3 (S3Proxy over
 * the data directory, on this machine):
 * <ul>
 *   <li>uploading a 200 MB result through Hubble's S3 store (multipart, parts in parallel) against
 *       a bare SDK {@code putObject} of the same file to the same server, alternately, three
 *       times each after a warm-up; the ratio is bare time / Hubble time (goal at least 0.9);
 *   <li>what presigning adds to {@code GET /v1/jobs/{id}}: p50 of a job without result files,
 *       with one file, and with 1,000 files (the most a document lists), and the cost of one
 *       presigned link alone.
 * </ul>
 *
 * <p>Not part of the normal build (tag {@code benchmark}). Run it with
 * {@code ./mvnw -pl temporal-dev -am verify -Dtest=S3ResultsBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class S3ResultsBenchmark {

    private static final int ROUNDS = 3;
    private static final int GETS = 300;
    private static final int SIGNS = 20_000;

    private final LocalStack stack = LocalStack.get();

    @Test
    void uploadAndPresigningCosts(@TempDir Path tmp) throws Exception {
        S3ResultStore store = stack.context.getBean(S3ResultStore.class);
        S3ResultsProperties properties = stack.context.getBean(S3ResultsProperties.class);

        Path dir = Files.createDirectories(tmp.resolve("result"));
        Path file = dir.resolve("result.csv");
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement()) {
            statement.execute("copy (select range as n, md5(range::varchar) as h from range(5000000)) to '" + file
                    + "' (header)");
        }
        long size = Files.size(file);

        List<Long> hubble = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        try (S3Client client = bareClient(properties)) {
            for (int round = 0; round <= ROUNDS; round++) {
                long h = time(() -> store.upload(dir, location(properties)));
                String key = "bench/" + UUID.randomUUID() + "/result.csv";
                long b = time(() ->
                        client.putObject(p -> p.bucket(properties.bucket()).key(key), RequestBody.fromFile(file)));
                if (round > 0) {
                    hubble.add(h);
                    bare.add(b);
                }
            }
        }

        String oneFile = stack.submit(Map.of("query", "select 1 as one", "driver", "duckdb", "source", "bench-s3"));
        String failed = stack.submit(Map.of("query", "selec 1", "driver", "duckdb", "source", "bench-s3"));
        String thousand = stack.submit(Map.of(
                "query",
                "many_files",
                "driver",
                "local-python",
                "source",
                "bench-s3",
                "parameters",
                Map.of("count", "1000")));
        stack.awaitState(oneFile, "SUCCEEDED");
        stack.awaitState(failed, "FAILED");
        stack.awaitState(thousand, "SUCCEEDED", Duration.ofMinutes(3));
        long noLinks = p50(() -> timeGet(failed));
        long oneLink = p50(() -> timeGet(oneFile));
        long thousandLinks = p50(() -> timeGet(thousand));
        URI location = URI.create(stack.read(stack.get("/v1/jobs/" + oneFile).body())
                .at("/result/location")
                .asText());
        ResultFile result = new ResultFile("result.csv", 4);
        for (int i = 0; i < SIGNS; i++) {
            store.sign(location, oneFile, result, stack.api);
        }
        long signStart = System.nanoTime();
        for (int i = 0; i < SIGNS; i++) {
            store.sign(location, oneFile, result, stack.api);
        }
        double signMicros = (System.nanoTime() - signStart) / 1_000.0 / SIGNS;

        long hubbleMedian = median(hubble);
        long bareMedian = median(bare);
        System.out.printf(
                "%n=== Hubble S3 results benchmark (embedded S3Proxy, filesystem-nio2, %d cores) ===%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("upload of a %.1f MB CSV, median of %d after a warm-up%n", size / 1e6, ROUNDS);
        System.out.printf(
                "  Hubble S3 store (multipart %s parts)  %7d ms  %7.1f MB/s   runs %s%n",
                properties.partSize(), hubbleMedian, size / 1e3 / hubbleMedian, hubble);
        System.out.printf(
                "  bare SDK putObject                   %7d ms  %7.1f MB/s   runs %s%n",
                bareMedian, size / 1e3 / bareMedian, bare);
        System.out.printf("  ratio (bare time / Hubble time)      %7.2f x%n", (double) bareMedian / hubbleMedian);
        System.out.printf("GET /v1/jobs/{id}, p50 of %d after as many warm-ups%n", GETS);
        System.out.printf("  no result files (FAILED job)        %7.2f ms%n", noLinks / 1e6);
        System.out.printf("  1 presigned link                    %7.2f ms%n", oneLink / 1e6);
        System.out.printf("  1,000 presigned links               %7.2f ms%n", thousandLinks / 1e6);
        System.out.printf("one presigned link alone (mean of %,d) %6.1f us%n%n", SIGNS, signMicros);
        assertThat(hubble).hasSize(ROUNDS);
    }

    private URI location(S3ResultsProperties properties) {
        return URI.create("s3://" + properties.bucket() + "/bench/" + UUID.randomUUID() + "/");
    }

    private long timeGet(String jobId) {
        long start = System.nanoTime();
        int status = stack.get("/v1/jobs/" + jobId).statusCode();
        long elapsed = System.nanoTime() - start;
        assertThat(status).isEqualTo(200);
        return elapsed;
    }

    private static long p50(LongSupplier sample) {
        for (int i = 0; i < GETS; i++) {
            sample.getAsLong();
        }
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < GETS; i++) {
            samples.add(sample.getAsLong());
        }
        return median(samples);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static S3Client bareClient(S3ResultsProperties properties) {
        return S3Client.builder()
                .region(Region.of(properties.region()))
                .endpointOverride(properties.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(properties.accessKeyId(), properties.secretAccessKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }
}
