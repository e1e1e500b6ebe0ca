package dev.hubble.core.results.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultPage;
import dev.hubble.core.results.ResultStoreRefusedException;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.SignedLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The S3 store against a real S3 server (S3Proxy) that checks signatures and link expiry. */
class S3ResultStoreTest {

    private static final URI API = URI.create("http://localhost:8080");
    private static final HttpClient http = HttpClient.newHttpClient();

    private static String bucket;
    private static S3ResultStore store;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startStore() {
        bucket = S3ProxyFixture.bucket("results-" + UUID.randomUUID());
        store = new S3ResultStore(S3ProxyFixture.properties(bucket, Duration.ofHours(1)));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void locationIsTheJobsFolderUnderThePrefix() {
        assertThat(store.locationFor("job-1")).isEqualTo(URI.create("s3://" + bucket + "/hubble/jobs/job-1/"));
        assertThat(store.directory(store.locationFor("job-1"))).isEmpty();
    }

    @Test
    void uploadedFilesAreListedWithoutMarkersAndDownloadThroughPresignedLinks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("result.csv"), "answer\n42\n");
        Files.writeString(dir.resolve("_SUCCESS"), "");
        Files.writeString(dir.resolve(".result.csv.crc"), "x");
        Files.createDirectories(dir.resolve("_temporary"));
        Files.writeString(dir.resolve("_temporary/part-0.csv"), "half");
        Files.createDirectories(dir.resolve("day=1"));
        Files.writeString(dir.resolve("day=1/part-0.csv"), "a\n1\n");
        URI location = store.locationFor("job-" + UUID.randomUUID());

        store.prepare(location);
        store.upload(dir, location);

        ResultPage page = store.list(location, null, 100);
        assertThat(page.files())
                .containsExactly(new ResultFile("day=1/part-0.csv", 4), new ResultFile("result.csv", 10));
        assertThat(page.next()).isNull();
        SignedLink link = store.sign(location, "job", page.files().get(1), API);
        assertThat(link.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(59)));
        HttpResponse<String> download = get(link.url());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("answer\n42\n");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment").contains("result.csv"));
    }

    @Test
    void tamperedLinkIsRefusedByS3() throws Exception {
        URI location = uploaded("result.csv", "secret\n");
        URI url = store.sign(location, "job", new ResultFile("result.csv", 7), API)
                .url();

        String other = url.toString().replace("result.csv", "other.csv");
        String signature = url.toString()
                .replaceAll("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=0$1")
                .replaceAll("X-Amz-Signature=0([0-9a-f])([0-9a-f]{63})", "X-Amz-Signature=$2" + "0");
        String longer = url.toString().replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");

        assertThat(get(URI.create(other)).statusCode()).isEqualTo(403);
        assertThat(get(URI.create(signature)).statusCode()).isEqualTo(403);
        assertThat(get(URI.create(longer)).statusCode()).isEqualTo(403);
        assertThat(get(url).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredLinkIsRefusedByS3() throws Exception {
        URI location = uploaded("result.csv", "soon gone\n");
        try (S3ResultStore shortLived = new S3ResultStore(S3ProxyFixture.properties(bucket, Duration.ofSeconds(1)))) {
            URI url = shortLived
                    .sign(location, "job", new ResultFile("result.csv", 10), API)
                    .url();

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(get(url).statusCode()).isEqualTo(403));
            assertThat(get(url).body()).contains("expired");
        }
    }

    @Test
    void listingPagesThroughEveryFileInNameOrder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < 2100; i++) {
            Files.writeString(dir.resolve(String.format("part-%05d.csv", i)), "x");
        }
        Files.writeString(dir.resolve("_SUCCESS"), "");
        URI location = store.locationFor("job-" + UUID.randomUUID());
        store.upload(dir, location);

        List<String> names = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            ResultPage page = store.list(location, after, 700);
            page.files().forEach(f -> names.add(f.name()));
            after = page.next();
            pages++;
        } while (after != null);
        JobResult manifest =
                new ResultStores(List.of(store), ResultStores.S3, Map.of()).manifest(OutputFormat.CSV, location);

        assertThat(names).hasSize(2100).isSorted().doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        assertThat(manifest.fileCount()).isEqualTo(2100);
        assertThat(manifest.totalBytes()).isEqualTo(2100);
        assertThat(manifest.files()).hasSize(JobResult.MAX_LISTED_FILES);
        assertThat(manifest.files().get(0).name()).isEqualTo("part-00000.csv");
        assertThat(manifest.location()).isEqualTo(location);
    }

    @Test
    void largeFileIsUploadedInPartsAndDownloadsIntact() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("large"));
        Path file = dir.resolve("result.parquet");
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 23; i++) {
                out.write(chunk);
                written.update(chunk);
            }
        }
        URI location = store.locationFor("job-" + UUID.randomUUID());

        store.upload(dir, location);
        store.upload(dir, location);

        URI url = store.sign(location, "job", new ResultFile("result.parquet", Files.size(file)), API)
                .url();
        HttpResponse<InputStream> download =
                http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = download.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(read.digest()))
                .isEqualTo(HexFormat.of().formatHex(written.digest()));
    }

    @Test
    void smallFilesAreWrittenAndReadWholeAndAMissingOneIsEmpty() {
        URI location = store.locationFor("small-" + UUID.randomUUID());

        assertThat(store.read(location, "_RESULT.json")).isEmpty();
        store.write(location, "_job.json", "{\"query\":\"select 1\"}".getBytes(StandardCharsets.UTF_8));
        store.write(location, "_job.json", "{\"query\":\"select 42\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(store.read(location, "_job.json"))
                .hasValueSatisfying(bytes ->
                        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"query\":\"select 42\"}"));
        assertThat(store.list(location, null, 10).files()).as("not a result").isEmpty();
    }

    @Test
    void aSmallFileInAMissingBucketIsRefusedWithS3sReason() {
        try (S3ResultStore missing = new S3ResultStore(
                S3ProxyFixture.properties("no-such-bucket-" + UUID.randomUUID(), Duration.ofHours(1)))) {
            URI location = missing.locationFor("job-1");

            assertThatThrownBy(() -> missing.read(location, "_RESULT.json"))
                    .isInstanceOf(ResultStoreRefusedException.class)
                    .hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void missingBucketIsRefusedWithS3sReason() {
        try (S3ResultStore missing = new S3ResultStore(
                S3ProxyFixture.properties("no-such-bucket-" + UUID.randomUUID(), Duration.ofHours(1)))) {
            URI location = missing.locationFor("job-1");

            assertThatThrownBy(() -> missing.prepare(location))
                    .isInstanceOf(ResultStoreRefusedException.class)
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("NoSuchBucket")
                    .hasMessageContaining(location.toString());
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithS3sReason() {
        S3ResultsProperties good = S3ProxyFixture.properties(bucket, Duration.ofHours(1));
        S3ResultsProperties wrong = new S3ResultsProperties(
                bucket,
                good.prefix(),
                null,
                good.endpoint(),
                true,
                good.linkTtl(),
                good.partSize(),
                "someone-else",
                "not-the-secret",
                null);
        try (S3ResultStore refused = new S3ResultStore(wrong)) {
            assertThatThrownBy(() -> refused.prepare(refused.locationFor("job-1")))
                    .isInstanceOf(ResultStoreRefusedException.class)
                    .hasMessageContaining("S3 refused")
                    .hasMessageNotContaining("not-the-secret");
            Path dir = Files.createDirectories(tmp.resolve("refused"));
            Files.writeString(dir.resolve("result.csv"), "x");
            assertThatThrownBy(() -> refused.upload(dir, refused.locationFor("job-1")))
                    .isInstanceOf(ResultStoreRefusedException.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void linkLongerThanSevenDaysOrMissingBucketStopsStartup() {
        assertThatThrownBy(() -> new S3ResultsProperties(
                        "b", "", null, null, false, Duration.ofDays(8), DataSize.ofMegabytes(16), null, null, null))
                .hasMessageContaining("hubble.results.s3.link-ttl");
        assertThatThrownBy(() -> new S3ResultsProperties(
                        null, "", null, null, false, Duration.ofHours(1), DataSize.ofMegabytes(16), null, null, null))
                .hasMessageContaining("set hubble.results.s3.bucket");
        assertThat(new S3ResultsProperties(
                                "b",
                                "/a/b",
                                null,
                                null,
                                false,
                                Duration.ofDays(7),
                                DataSize.ofMegabytes(16),
                                null,
                                null,
                                null)
                        .prefix())
                .isEqualTo("a/b/");
    }

    private URI uploaded(String name, String content) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("up-" + UUID.randomUUID()));
        Files.writeString(dir.resolve(name), content);
        URI location = store.locationFor("job-" + UUID.randomUUID());
        store.upload(dir, location);
        return location;
    }

    private static HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    }
}
