package dev.hubble.activities.localpython;

import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.local.LocalResultsProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The local result store over a test's directory, as the runner tests need it. */
final class LocalResults {

    private final LocalResultStore store;

    LocalResults(Path dir) {
        this.store = new LocalResultStore(
                dir,
                new LocalResultLinks(
                        new LocalResultsProperties(
                                dir, "test-signing-key-of-at-least-32-characters", Duration.ofHours(1)),
                        Clock.systemUTC()));
    }

    /** The job's output directory, created, as a runner gets it. */
    URI output(String jobId) {
        URI location = store.locationFor(jobId);
        store.prepare(location);
        return store.directory(location).orElseThrow().toUri();
    }

    /** The job's result files. */
    List<ResultFile> list(String jobId) {
        return store.list(store.locationFor(jobId), null, 1000).files();
    }
}
