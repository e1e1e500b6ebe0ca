package dev.hubble.activities.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultPage;
import dev.hubble.core.results.ResultStore;
import dev.hubble.core.results.ResultStoreRefusedException;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.SignedLink;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.lang.Nullable;

/** Where the job activities put a job's files, and how a store's refusal ends the job. */
class JobActivitiesImplTest {

    @TempDir
    Path work;

    private final RemoteStore remote = new RemoteStore();
    private final LocalEngine engine = new LocalEngine();

    @Test
    void localEngineWritesToAWorkingDirectoryThatIsUploadedOnceItSucceeded() {
        JobActivitiesImpl activities = activities();
        JobSpec spec = spec().withResultLocation(URI.create("s3://bucket/jobs/j1/"));

        activities.submit("j1", spec);
        JobResult result = activities.collectResult("j1", spec);

        assertThat(Path.of(engine.output)).isEqualTo(work.resolve("j1"));
        assertThat(remote.prepared).containsExactly(URI.create("s3://bucket/jobs/j1/"));
        assertThat(remote.objects)
                .containsOnlyKeys("s3://bucket/jobs/j1/result.csv", "s3://bucket/jobs/j1/_stdout.log");
        assertThat(result.files()).containsExactly(new ResultFile("result.csv", 3));
        assertThat(result.location()).isEqualTo(URI.create("s3://bucket/jobs/j1/"));
        assertThat(work.resolve("j1"))
                .as("only the job's log stays, for its log tail")
                .isDirectoryContaining(f -> f.getFileName().toString().equals("_stdout.log"))
                .isDirectoryNotContaining(f -> f.getFileName().toString().equals("result.csv"));
        assertThat(remote.lists)
                .as("the files copied are the manifest: the store is not listed")
                .isZero();
        assertThat(activities.collectResult("j1", spec).files())
                .as("a retried collection, once the working directory's results are gone")
                .containsExactly(new ResultFile("result.csv", 3));
        assertThat(remote.lists).as("it lists the location").isEqualTo(1);
    }

    @Test
    void workingDirectoryWithNothingButResultsIsGoneOnceUploaded() {
        engine.writesLog = false;
        JobActivitiesImpl activities = activities();
        JobSpec spec = spec().withResultLocation(URI.create("s3://bucket/jobs/j1/"));

        activities.submit("j1", spec);
        JobResult result = activities.collectResult("j1", spec);

        assertThat(result.files()).containsExactly(new ResultFile("result.csv", 3));
        assertThat(work).isEmptyDirectory();
        assertThat(activities.collectResult("j1", spec).files())
                .as("a retried collection lists the location")
                .containsExactly(new ResultFile("result.csv", 3));
    }

    @Test
    void refusalOfTheStoreFailsTheJobForGoodWithItsReason() {
        remote.refusal =
                "S3 refused to list the job's result location s3://bucket/jobs/j1/: The specified bucket does not exist (NoSuchBucket)";
        JobActivitiesImpl activities = activities();

        assertThatThrownBy(() -> activities.submit("j1", spec().withResultLocation(URI.create("s3://bucket/jobs/j1/"))))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo(JobActivities.JOB_REJECTED);
                    assertThat(failure.getOriginalMessage()).isEqualTo(remote.refusal);
                });
        assertThat(engine.output).as("the job never ran").isNull();
    }

    @Test
    void transientStoreErrorIsRetried() {
        remote.transientError = true;
        JobActivitiesImpl activities = activities();

        assertThatThrownBy(() -> activities.submit("j1", spec().withResultLocation(URI.create("s3://bucket/jobs/j1/"))))
                .isInstanceOf(IllegalStateException.class);
    }

    private JobActivitiesImpl activities() {
        return new JobActivitiesImpl(List.of(engine), new ResultStores(List.of(remote), "s3", Map.of()), work);
    }

    private static JobSpec spec() {
        return new JobSpec(
                "select 1", "duckdb", OutputFormat.CSV, "me", null, null, null, 5, Duration.ofHours(1), Map.of(), null);
    }

    /** An engine that writes locally, and has written its files by the time it is asked. */
    private static final class LocalEngine implements JobRunner {
        @Nullable
        URI output;

        boolean writesLog = true;

        @Override
        public String driver() {
            return "duckdb";
        }

        @Override
        public boolean writesLocally() {
            return true;
        }

        @Override
        public RunHandle submit(String jobId, JobSpec spec, URI output) {
            this.output = output;
            try {
                Files.writeString(Path.of(output).resolve("result.csv"), "a\n1");
                if (writesLog) {
                    Files.writeString(Path.of(output).resolve("_stdout.log"), "");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new RunHandle(driver(), jobId, Map.of());
        }

        @Override
        public RemoteStatus poll(RunHandle handle) {
            return new RemoteStatus(RemotePhase.SUCCEEDED, null);
        }

        @Override
        public void cancel(RunHandle handle) {}

        @Override
        public Optional<String> diagnostics(RunHandle handle) {
            return Optional.empty();
        }
    }

    /** A store of {@code s3:} locations in memory. */
    private static final class RemoteStore implements ResultStore {
        final Map<String, Long> objects = new TreeMap<>();
        final List<URI> prepared = new ArrayList<>();
        int lists;

        @Nullable
        String refusal;

        boolean transientError;

        @Override
        public String name() {
            return "s3";
        }

        @Override
        public String scheme() {
            return "s3";
        }

        @Override
        public URI locationFor(String jobId) {
            return URI.create("s3://bucket/jobs/" + jobId + "/");
        }

        @Override
        public Optional<Path> directory(URI location) {
            return Optional.empty();
        }

        @Override
        public void prepare(URI location) {
            if (refusal != null) {
                throw new ResultStoreRefusedException(refusal, new RuntimeException("403"));
            }
            if (transientError) {
                throw new IllegalStateException("S3 answered 503 Slow Down");
            }
            prepared.add(location);
        }

        @Override
        public ResultPage list(URI location, @Nullable String after, int limit) {
            lists++;
            return new ResultPage(
                    objects.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(location.toString()))
                            .map(e -> new ResultFile(
                                    e.getKey().substring(location.toString().length()), e.getValue()))
                            .filter(f -> !f.name().startsWith("_"))
                            .toList(),
                    null);
        }

        @Override
        public SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void upload(Path dir, URI location, boolean resume) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        objects.put(location + f.getFileName().toString(), Files.size(f));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
