package dev.hubble.core.view;

import dev.hubble.core.config.TemporalProperties;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.results.ResultLinks;
import dev.hubble.core.results.SignedLink;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.lang.Nullable;

/**
 * Builds {@link JobDocument}s, signing result links as it builds them, so every link handed out
 * is fresh. Thread-safe.
 */
public final class JobDocuments {

    private final ResultLinks links;
    private final PublicUrlProperties publicUrl;
    @Nullable
    private final String historyBase;

    public JobDocuments(ResultLinks links, TemporalProperties temporal, PublicUrlProperties publicUrl) {
        this.links = links;
        this.publicUrl = publicUrl;
        this.historyBase = temporal.uiUrl() == null || temporal.uiUrl().isBlank() ? null
                : temporal.uiUrl().replaceAll("/+$", "") + "/namespaces/" + encode(temporal.namespace()) + "/workflows/";
    }

    /**
     * The document of {@code record}, its links based on {@code hubble.api.public-url} (or
     * {@value PublicUrlProperties#FALLBACK} when that is unset): for documents built outside an
     * HTTP request, such as status events.
     */
    public JobDocument of(JobRecord record) {
        return of(record, publicUrl.orFallback());
    }

    /**
     * The document of {@code record}.
     *
     * @param apiBaseUrl the API's public base URL, for links the API itself serves
     */
    public JobDocument of(JobRecord record, URI apiBaseUrl) {
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
                record.error() == null ? null : new JobDocument.ErrorInfo(record.error().message(), record.error().detail()),
                record.result() == null ? null : result(record.jobId(), record.result(), apiBaseUrl),
                historyBase == null ? null : historyBase + encode(record.jobId()),
                null,
                null);
    }

    private JobDocument.ResultInfo result(String jobId, JobResult result, URI apiBaseUrl) {
        return new JobDocument.ResultInfo(result.format(), result.files().stream()
                .map(file -> {
                    SignedLink link = links.sign(jobId, file, apiBaseUrl);
                    return new JobDocument.ResultLink(file.name(), link.url(), link.expiresAt(), file.sizeBytes());
                })
                .toList());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
