package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.s3.S3ResultStore;
import dev.hubble.core.results.s3.S3ResultsProperties;
import dev.hubble.core.store.JobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results in S3 on the real local stack: its embedded S3 (S3Proxy, which checks signatures and
 * expiry as S3 does) is every driver's store, so every link here is a presigned S3 URL.
 */
class S3ResultsEndToEndTest {

    private final LocalStack stack = LocalStack.get();

    @Test
    void csvAndParquetResultsDownloadThroughPresignedLinks(@TempDir Path tmp) throws Exception {
        String csv = stack.submit(
                Map.of("query", "select 42 as answer", "driver", "duckdb", "format", "csv", "source", "e2e-s3"));
        String parquet = stack.submit(Map.of(
                "query",
                "select range as n, 'row ' || range as label from range(1000)",
                "driver",
                "duckdb",
                "format",
                "parquet",
                "source",
                "e2e-s3"));

        JsonNode csvJob = stack.awaitState(csv, "SUCCEEDED");
        JsonNode parquetJob = stack.awaitState(parquet, "SUCCEEDED");

        assertThat(csvJob.at("/result/location").asText()).isEqualTo("s3://hubble-results/jobs/" + csv + "/");
        assertThat(csvJob.at("/result/fileCount").asLong()).isEqualTo(1);
        String csvUrl = csvJob.at("/result/files/0/url").asText();
        assertThat(csvUrl)
                .startsWith(stack.s3() + "/hubble-results/jobs/" + csv + "/result.csv?")
                .contains("X-Amz-Signature=");
        HttpResponse<byte[]> csvDownload = stack.download(csvUrl);
        assertThat(csvDownload.statusCode()).isEqualTo(200);
        assertThat(new String(csvDownload.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");

        HttpResponse<byte[]> parquetDownload =
                stack.download(parquetJob.at("/result/files/0/url").asText());
        assertThat(parquetDownload.statusCode()).isEqualTo(200);
        assertThat((long) parquetDownload.body().length)
                .isEqualTo(parquetJob.at("/result/totalBytes").asLong());
        Path file = Files.write(tmp.resolve("result.parquet"), parquetDownload.body());
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery("select count(*), sum(n), max(label) from '" + file + "'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1000);
            assertThat(rows.getLong(2)).isEqualTo(999 * 1000 / 2);
            assertThat(rows.getString(3)).isEqualTo("row 999");
        }
    }

    @Test
    void tamperedAndExpiredLinksAreRefusedByS3() throws Exception {
        String jobId = stack.submit(Map.of("query", "select 1 as one", "driver", "duckdb", "source", "e2e-s3-links"));
        JsonNode job = stack.awaitState(jobId, "SUCCEEDED");
        String url = job.at("/result/files/0/url").asText();

        String otherFile = url.replace("/result.csv?", "/other.csv?");
        String otherJob = url.replace("/jobs/" + jobId + "/", "/jobs/" + jobId.substring(1) + "x/");
        String longer = url.replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");
        String signature = url.replaceAll(
                "X-Amz-Signature=[0-9a-f]", "X-Amz-Signature=" + (url.contains("X-Amz-Signature=0") ? "1" : "0"));
        for (String tampered : List.of(otherFile, otherJob, longer, signature)) {
            assertThat(stack.download(tampered).statusCode())
                    .as(tampered.replaceAll("X-Amz-Signature=\\w+", ""))
                    .isEqualTo(403);
        }
        assertThat(stack.download(url).statusCode()).isEqualTo(200);

        // The same stack's S3, signing with a one-second TTL: the link works, then S3 refuses it.
        S3ResultsProperties configured = stack.context.getBean(S3ResultsProperties.class);
        S3ResultsProperties shortLived = new S3ResultsProperties(
                configured.bucket(),
                configured.prefix(),
                configured.region(),
                configured.endpoint(),
                configured.pathStyleAccess(),
                Duration.ofSeconds(1),
                configured.partSize(),
                configured.accessKeyId(),
                configured.secretAccessKey(),
                configured.publicEndpoint());
        try (S3ResultStore store = new S3ResultStore(shortLived)) {
            URI expiring = store.sign(
                            URI.create(job.at("/result/location").asText()),
                            jobId,
                            new ResultFile("result.csv", 4),
                            stack.api)
                    .url();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(
                            () -> assertThat(stack.download(expiring.toString()).statusCode())
                                    .isEqualTo(403));
            assertThat(new String(stack.download(expiring.toString()).body(), StandardCharsets.UTF_8))
                    .contains("expired");
        }
    }

    @Test
    void everyReadSignsFreshLinks() {
        String jobId = stack.submit(Map.of("query", "select 2 as two", "driver", "duckdb", "source", "e2e-s3-fresh"));
        JsonNode first = stack.awaitState(jobId, "SUCCEEDED");
        String firstUrl = first.at("/result/files/0/url").asText();

        // Links are signed to the second: a later read gives a later link.
        JsonNode[] second = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    second[0] = stack.read(stack.get("/v1/jobs/" + jobId).body());
                    assertThat(second[0].at("/result/files/0/url").asText()).isNotEqualTo(firstUrl);
                });

        assertThat(second[0].at("/result/files/0/expiresAt").asText())
                .isGreaterThan(first.at("/result/files/0/expiresAt").asText());
        assertThat(stack.download(firstUrl).statusCode()).isEqualTo(200);
        assertThat(stack.download(second[0].at("/result/files/0/url").asText()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void jobThatWrote1500FilesListsTheFirst1000AndPagesThroughAll() throws Exception {
        String jobId = stack.submit(Map.of(
                "query",
                "many_files",
                "driver",
                "local-python",
                "source",
                "e2e-s3-many",
                "parameters",
                Map.of("count", "1500")));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(3));

        assertThat(job.at("/result/fileCount").asLong()).isEqualTo(1500);
        assertThat(job.at("/result/files")).hasSize(1000);
        // "part\n<i>\n": 6 bytes plus the digits of i, 4,890 digits in all.
        assertThat(job.at("/result/totalBytes").asLong()).isEqualTo(1500 * 6 + 4890);
        List<String> names = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = stack.read(stack.get("/v1/jobs/" + jobId + "/results?limit=600&cursor=" + cursor)
                    .body());
            page.get("files").forEach(f -> names.add(f.get("name").asText()));
            cursor = page.has("next") ? page.get("next").asText() : null;
            pages++;
            if (cursor == null) {
                String last = page.at("/files/" + (page.get("files").size() - 1) + "/url")
                        .asText();
                assertThat(new String(stack.download(last).body(), StandardCharsets.UTF_8))
                        .isEqualTo("part\n1499\n");
            }
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names)
                .hasSize(1500)
                .doesNotHaveDuplicates()
                .isSorted()
                .startsWith("part-00000.csv")
                .endsWith("part-01499.csv");

        // What Temporal and Redis carry stays small whatever the job wrote.
        JobRecord record = stack.context.getBean(JobStore.class).find(jobId).orElseThrow();
        int recordBytes = new ObjectMapper().findAndRegisterModules().writeValueAsBytes(record).length;
        int documentBytes = stack.get("/v1/jobs/" + jobId).body().getBytes(StandardCharsets.UTF_8).length;
        List<StatusEventLog.Event> events = stack.statusEvents().awaitFinished(jobId, Duration.ofSeconds(60));
        JsonNode event = events.get(events.size() - 1).data();
        int eventBytes = new ObjectMapper().writeValueAsBytes(event).length;
        System.out.printf(
                "1,500 files: record %,d bytes, document with 1,000 links %,d bytes, status event %,d bytes%n",
                recordBytes, documentBytes, eventBytes);
        assertThat(recordBytes).isLessThan(256 * 1024);
        assertThat(event.at("/result/files")).hasSize(100);
        assertThat(event.at("/result/fileCount").asLong()).isEqualTo(1500);
        assertThat(eventBytes).isLessThan(256 * 1024);
    }

    @Test
    void result200MbIsUploadedAndDownloadedIntact(@TempDir Path tmp) throws Exception {
        // About 5.2 million rows of 41 to 42 bytes: a CSV of some 210 MB.
        long rows = 5_000_000;
        String jobId = stack.submit(Map.of(
                "query",
                "select range as n, md5(range::varchar) as h from range(" + rows + ")",
                "driver",
                "duckdb",
                "format",
                "csv",
                "source",
                "e2e-s3-large"));

        JsonNode job = stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(5));

        long size = job.at("/result/totalBytes").asLong();
        assertThat(size).isGreaterThan(200_000_000L);
        Path file = tmp.resolve("result.csv");
        HttpResponse<Path> download = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(job.at("/result/files/0/url").asText()))
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(file));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(Files.size(file)).isEqualTo(size);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet read =
                        statement.executeQuery("select count(*), sum(n), count(*) filter (where h = md5(n::varchar))"
                                + " from read_csv('" + file + "', header = true)")) {
            read.next();
            assertThat(read.getLong(1)).isEqualTo(rows);
            assertThat(read.getLong(2)).isEqualTo(rows * (rows - 1) / 2);
            assertThat(read.getLong(3)).isEqualTo(rows);
        }
        assertThat(stack.dataDir.resolve("work").resolve(jobId))
                .as("the working copy is gone once uploaded")
                .doesNotExist();
    }
}
