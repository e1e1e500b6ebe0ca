package dev.hubble.core.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.local.LocalResultsProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which store serves what: by driver for new jobs, by scheme for locations, the local store for old records. */
class ResultStoresTest {

    @TempDir
    Path root;

    @Test
    void newJobGoesToItsDriversStoreElseTheDefault() {
        ResultStores stores =
                new ResultStores(List.of(local(), new FakeStore("s3", "s3")), "local", Map.of("spark", "S3"));

        assertThat(stores.locationFor("spark", "j1")).isEqualTo(URI.create("s3://fake/j1/"));
        assertThat(stores.locationFor("duckdb", "j1")).isEqualTo(root.toUri().resolve("j1/"));
        assertThat(stores.storeOf(URI.create("s3://any/where/")).name()).isEqualTo("s3");
        assertThat(stores.storeOf(URI.create("file:///x/y/")).name()).isEqualTo("local");
    }

    @Test
    void storeNobodyConfiguredStopsStartupNamingTheProperty() {
        assertThatThrownBy(() -> new ResultStores(List.of(local()), "local", Map.of("spark", "s3")))
                .hasMessageContaining("hubble.drivers.spark.results")
                .hasMessageContaining("'s3'");
        assertThatThrownBy(() -> new ResultStores(List.of(local()), "gcs", Map.of()))
                .hasMessageContaining("hubble.results.store");
    }

    @Test
    void recordWithoutALocationIsInTheLocalStore() {
        ResultStores stores = new ResultStores(List.of(local(), new FakeStore("s3", "s3")), "s3", Map.of());
        JobSpec old = new JobSpec(
                "select 1", "duckdb", OutputFormat.CSV, "me", null, null, null, 5, Duration.ofHours(1), Map.of(), null);

        assertThat(stores.locationOf("j1", old)).isEqualTo(root.toUri().resolve("j1/"));
        assertThat(stores.locationOf("j1", old.withResultLocation(URI.create("s3://b/j1/"))))
                .isEqualTo(URI.create("s3://b/j1/"));
        assertThatThrownBy(() ->
                        new ResultStores(List.of(new FakeStore("s3", "s3")), "s3", Map.of()).locationOf("j1", old))
                .hasMessageContaining("hubble.results.local.dir");
    }

    @Test
    void manifestOfALocalLocationSkipsMarkers() throws Exception {
        ResultStores stores = new ResultStores(List.of(local()), "local", Map.of());
        URI location = stores.locationFor("duckdb", "j1");
        stores.storeOf(location).prepare(location);
        Files.writeString(root.resolve("j1/result.csv"), "a\n1\n");
        Files.writeString(root.resolve("j1/_stdout.log"), "log");

        JobResult manifest = stores.manifest(OutputFormat.CSV, location);

        assertThat(manifest.files()).containsExactly(new ResultFile("result.csv", 4));
        assertThat(manifest.fileCount()).isEqualTo(1);
        assertThat(manifest.totalBytes()).isEqualTo(4);
    }

    @Test
    void manifestOfCopiedFilesIsReadFromTheirDirectoryAsAStoreWouldListThem() throws Exception {
        Path dir = Files.createDirectories(root.resolve("work/j1"));
        Files.createDirectories(dir.resolve("part/_temporary"));
        Files.writeString(dir.resolve("b.csv"), "b\n2\n");
        Files.writeString(dir.resolve("part/a.csv"), "a\n");
        Files.writeString(dir.resolve("part/_temporary/x.csv"), "x");
        Files.writeString(dir.resolve("_stdout.log"), "log");
        Files.writeString(dir.resolve(".uploaded"), "");
        URI location = URI.create("s3://bucket/jobs/j1/");

        JobResult manifest = ResultStores.manifestOf(OutputFormat.CSV, location, dir);

        assertThat(manifest.location()).isEqualTo(location);
        assertThat(manifest.files()).containsExactly(new ResultFile("b.csv", 4), new ResultFile("part/a.csv", 2));
        assertThat(manifest.fileCount()).isEqualTo(2);
        assertThat(manifest.totalBytes()).isEqualTo(6);
    }

    @Test
    void recordsWrittenBeforeLocationsStillRead() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

        JobResult old = json.readValue(
                "{\"format\":\"csv\",\"files\":[{\"name\":\"result.csv\",\"sizeBytes\":12}]}", JobResult.class);
        JobSpec spec = json.readValue(
                "{\"query\":\"select 1\",\"driver\":\"duckdb\",\"format\":\"csv\",\"source\":\"me\","
                        + "\"priority\":5,\"timeout\":\"PT1H\",\"parameters\":{}}",
                JobSpec.class);

        assertThat(old.location()).isNull();
        assertThat(old.fileCount()).isEqualTo(1);
        assertThat(old.totalBytes()).isEqualTo(12);
        assertThat(spec.resultLocation()).isNull();
    }

    private LocalResultStore local() {
        LocalResultsProperties properties =
                new LocalResultsProperties(root, "0123456789abcdef0123456789abcdef", Duration.ofHours(1));
        return new LocalResultStore(root, new LocalResultLinks(properties, Clock.systemUTC()));
    }

    private record FakeStore(String name, String scheme) implements ResultStore {
        @Override
        public URI locationFor(String jobId) {
            return URI.create("s3://fake/" + jobId + "/");
        }

        @Override
        public java.util.Optional<Path> directory(URI location) {
            return java.util.Optional.empty();
        }

        @Override
        public void prepare(URI location) {}

        @Override
        public ResultPage list(URI location, String after, int limit) {
            return new ResultPage(List.of(), null);
        }

        @Override
        public SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void upload(Path dir, URI location, boolean resume) {}
    }
}
