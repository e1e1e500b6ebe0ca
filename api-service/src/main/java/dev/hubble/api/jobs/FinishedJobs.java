package dev.hubble.api.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.view.JobDocument;
import java.net.URI;
import java.time.Duration;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * Finished jobs as {@code GET /v1/jobs/{id}} last showed them, for a moment. A finished job never
 * changes, and clients that wait for one read it again and again; for {@link #TTL} its answer is
 * served from memory: no store read, no signing of its links. Only its list of children (a job may
 * still be submitted with a finished parent) and its links' remaining validity can be that much
 * older. Access is still checked on every read, against the cached record.
 */
@Component
final class FinishedJobs {

    /** How long an answer is reused. */
    static final Duration TTL = Duration.ofSeconds(1);

    private final Cache<Key, Shown> shown =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

    /** A finished job and the answer built for it. */
    record Shown(JobRecord record, JobDocument document) {}

    private record Key(String jobId, URI apiBaseUrl) {}

    /** The answer last built for {@code jobId} with links on {@code apiBaseUrl}, if it is recent. */
    @Nullable
    Shown find(String jobId, URI apiBaseUrl) {
        return shown.getIfPresent(new Key(jobId, apiBaseUrl));
    }

    /** Forgets every answer, e.g. between tests that show one job in different states. */
    void forgetAll() {
        shown.invalidateAll();
    }

    /** Keeps the answer built for a job, if the job has finished. */
    void remember(JobRecord record, URI apiBaseUrl, JobDocument document) {
        if (record.state().isTerminal()) {
            shown.put(new Key(record.jobId(), apiBaseUrl), new Shown(record, document));
        }
    }
}
