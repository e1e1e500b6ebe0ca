package dev.hubble.core.view;

import dev.hubble.core.config.TemporalProperties;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.SignedLink;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;

/**
 * Builds {@link JobDocument}s, signing result links as it builds them, so every link handed out
 * is fresh. Each link is signed by the store of the job's result location. Thread-safe.
 */
public final class JobDocuments {

    private static final Logger log = LoggerFactory.getLogger(JobDocuments.class);

    /**
     * The most result files a status event lists. A presigned link is 0.5 to 2 KB (more with a
     * session token), so 1,000 of them could exceed what a Kafka broker accepts (1 MB by
     * default), and an event that can never be sent would hold its job's transitions back for
     * good. Events list the first files with {@code fileCount}; a read of the job lists more.
     */
    public static final int EVENT_LISTED_FILES = 100;

    private final ResultStores stores;
    private final PublicUrlProperties publicUrl;

    @Nullable
    private final String historyBase;

    public JobDocuments(ResultStores stores, TemporalProperties temporal, PublicUrlProperties publicUrl) {
        this.stores = stores;
        this.publicUrl = publicUrl;
        this.historyBase = temporal.uiUrl() == null || temporal.uiUrl().isBlank()
                ? null
                : temporal.uiUrl().replaceAll("/+$", "") + "/namespaces/" + encode(temporal.namespace())
                        + "/workflows/";
    }

    /**
     * The document of {@code record} for a status event: its links based on
     * {@code hubble.api.public-url} (or {@value PublicUrlProperties#FALLBACK} when that is unset),
     * and at most {@value #EVENT_LISTED_FILES} result files.
     */
    public JobDocument of(JobRecord record) {
        return of(record, publicUrl.orFallback(), EVENT_LISTED_FILES);
    }

    /**
     * The document of {@code record}.
     *
     * @param apiBaseUrl the API's public base URL, for links the API itself serves
     */
    public JobDocument of(JobRecord record, URI apiBaseUrl) {
        return of(record, apiBaseUrl, JobResult.MAX_LISTED_FILES);
    }

    private JobDocument of(JobRecord record, URI apiBaseUrl, int maxFiles) {
        JobSpec spec = record.spec();
        return new JobDocument(
                record.jobId(),
                record.state(),
                spec.driver(),
                spec.format(),
                spec.source(),
                spec.sourceId(),
                spec.sourceKind(),
                spec.sourceVersion(),
                spec.priority(),
                spec.timeout().toString(),
                spec.parameters(),
                spec.parentJobId(),
                record.createdAt(),
                record.updatedAt(),
                record.error() == null
                        ? null
                        : new JobDocument.ErrorInfo(
                                record.error().message(), record.error().detail()),
                record.result() == null ? null : result(record.jobId(), spec, record.result(), apiBaseUrl, maxFiles),
                historyBase == null ? null : historyBase + encode(record.jobId()),
                null,
                record.remote(),
                null);
    }

    private JobDocument.ResultInfo result(String jobId, JobSpec spec, JobResult result, URI apiBaseUrl, int maxFiles) {
        URI location = location(jobId, spec, result);
        return new JobDocument.ResultInfo(
                result.format(),
                location == null ? null : location.toString(),
                result.files().stream()
                        .limit(maxFiles)
                        .map(file -> link(jobId, location, file, apiBaseUrl))
                        .toList(),
                result.fileCount(),
                result.totalBytes());
    }

    /** A fresh link to one file of a job; see {@link ResultStores#sign}. */
    public JobDocument.ResultLink link(String jobId, @Nullable URI location, ResultFile file, URI apiBaseUrl) {
        if (location == null) {
            return new JobDocument.ResultLink(file.name(), null, null, file.sizeBytes());
        }
        try {
            SignedLink link = stores.sign(location, jobId, file, apiBaseUrl);
            return new JobDocument.ResultLink(file.name(), link.url(), link.expiresAt(), file.sizeBytes());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A location no store of this installation serves (its store was removed): the files
            // are still listed, without links.
            log.debug("No link for a result file of job {}: {}", jobId, e.getMessage());
            return new JobDocument.ResultLink(file.name(), null, null, file.sizeBytes());
        }
    }

    /** Where the job's result files are: as recorded, else where a job of its age wrote them. */
    public @Nullable URI location(String jobId, JobSpec spec, JobResult result) {
        if (result.location() != null) {
            return result.location();
        }
        try {
            return stores.locationOf(jobId, spec);
        } catch (IllegalStateException e) {
            log.debug("No result location for job {}: {}", jobId, e.getMessage());
            return null;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
