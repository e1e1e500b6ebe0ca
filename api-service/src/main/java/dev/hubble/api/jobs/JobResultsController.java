package dev.hubble.api.jobs;

import dev.hubble.api.problem.InvalidRequestException;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultPage;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.view.JobDocuments;
import dev.hubble.core.view.PublicUrlProperties;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Pages through every result file of a job, whatever their number: the job document names only
 * the first {@value JobResult#MAX_LISTED_FILES}. Links are signed as the page is read, by the
 * store of the job's location.
 */
@RestController
final class JobResultsController {

    private final JobService jobs;
    private final JobDocuments documents;
    private final ResultStores stores;
    private final PublicUrlProperties publicUrl;

    JobResultsController(JobService jobs, JobDocuments documents, ResultStores stores, PublicUrlProperties publicUrl) {
        this.jobs = jobs;
        this.documents = documents;
        this.stores = stores;
        this.publicUrl = publicUrl;
    }

    /**
     * A page of the job's result files with fresh links: {@code limit} 1 to
     * {@value JobResult#MAX_LISTED_FILES} (the default), the next page from the {@code next} of
     * this one as {@code cursor}. {@code 404} when the job has no result.
     */
    @GetMapping("/v1/jobs/{jobId}/results")
    ResultFileList list(
            @PathVariable String jobId,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable String limit) {
        JobRecord record = jobs.current(jobId);
        JobResult result = record.result();
        if (result == null) {
            throw new NoResultException(record.jobId(), record.state());
        }
        int size = limit(limit);
        String after = cursor == null || cursor.isEmpty() ? null : decode(cursor);
        URI location = documents.location(record.jobId(), record.spec(), result);
        URI base = publicUrl
                .configured()
                .orElseGet(() -> ServletUriComponentsBuilder.fromCurrentContextPath()
                        .build()
                        .toUri());
        List<ResultFile> files;
        String next;
        if (location == null) {
            // Recorded before locations existed and no store to ask: the record's list is complete.
            files = result.files().stream()
                    .filter(f -> after == null || f.name().compareTo(after) > 0)
                    .limit(size)
                    .toList();
            next = null;
        } else {
            ResultPage page = stores.page(location, after, size);
            files = page.files();
            next = page.next() == null ? null : encode(page.next());
        }
        return new ResultFileList(
                record.jobId(),
                location == null ? null : location.toString(),
                files.stream()
                        .map(file -> documents.link(record.jobId(), location, file, base))
                        .toList(),
                result.fileCount(),
                next);
    }

    private static int limit(@Nullable String limit) {
        if (limit == null || limit.isEmpty()) {
            return JobResult.MAX_LISTED_FILES;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= JobResult.MAX_LISTED_FILES) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidRequestException.of("limit", "must be a whole number from 1 to " + JobResult.MAX_LISTED_FILES);
    }

    /** A cursor is the name of the last file of the page before, base64url-encoded. */
    private static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw InvalidRequestException.of("cursor", "is not a cursor this API handed out; start without one");
        }
    }
}
