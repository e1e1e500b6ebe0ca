package dev.hubble.api.jobs;

import dev.hubble.api.auth.JobAccess;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.view.JobDocument;
import dev.hubble.core.view.JobDocuments;
import dev.hubble.core.view.PublicUrlProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Submit, read, list and cancel jobs. With authentication on, {@link JobAccess} decides the
 * source of a new job and who may see and cancel which job.
 */
@RestController
@RequestMapping("/v1/jobs")
final class JobsController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final JobService jobs;
    private final JobDocuments documents;
    private final PublicUrlProperties publicUrl;
    private final JobAccess access;
    private final FinishedJobs finished;

    JobsController(
            JobService jobs,
            JobDocuments documents,
            PublicUrlProperties publicUrl,
            JobAccess access,
            FinishedJobs finished) {
        this.jobs = jobs;
        this.documents = documents;
        this.publicUrl = publicUrl;
        this.access = access;
        this.finished = finished;
    }

    /**
     * Accepts a job: {@code 202} with the job and its {@code Location}. With an
     * {@code Idempotency-Key}, repeating the request answers with the same job.
     */
    @PostMapping
    ResponseEntity<JobDocument> submit(
            @RequestBody SubmitJobRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            HttpServletRequest http) {
        SubmitJobRequest allowed = access.submittable(
                request, parent -> jobs.current(parent).spec().source());
        JobRecord record = jobs.submit(allowed, idempotencyKey);
        return ResponseEntity.accepted()
                .location(URI.create(http.getContextPath() + "/v1/jobs/" + record.jobId()))
                .body(documents.of(record, apiBaseUrl()));
    }

    /**
     * The job now, with its place in the queue while it waits and the jobs it submitted;
     * {@code 404} if there is none with this id.
     */
    @GetMapping("/{jobId}")
    JobDocument get(@PathVariable String jobId) {
        URI base = apiBaseUrl();
        FinishedJobs.Shown recent = finished.find(jobId, base);
        if (recent != null) {
            access.checkAccess(recent.record());
            return recent.document();
        }
        JobService.JobRead read = jobs.read(jobId);
        JobRecord record = read.record();
        access.checkAccess(record);
        JobDocument document = jobs.withLiveDetails(documents.of(record, base), read.children());
        finished.remember(record, base, document);
        return document;
    }

    /** Jobs matching the filters, newest first; {@code limit} 1 to 500, default 50. */
    @GetMapping
    JobList list(
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String driver,
            @RequestParam(required = false) @Nullable String limit) {
        URI base = apiBaseUrl();
        return new JobList(jobs.list(jobs.query(access.listableSource(source), state, driver, limit)).stream()
                .map(record -> documents.of(record, base))
                .toList());
    }

    /**
     * Cancels the job: {@code 202} with the job as it was when cancellation was requested; it
     * reaches CANCELLED shortly after. {@code 409} if it has already finished.
     */
    @DeleteMapping("/{jobId}")
    ResponseEntity<JobDocument> cancel(@PathVariable String jobId) {
        access.checkAccess(jobId, jobs::current);
        return ResponseEntity.accepted().body(documents.of(jobs.cancel(jobId), apiBaseUrl()));
    }

    /** {@code hubble.api.public-url}, else the base URL of the request being answered. */
    private URI apiBaseUrl() {
        return publicUrl
                .configured()
                .orElseGet(() -> ServletUriComponentsBuilder.fromCurrentContextPath()
                        .build()
                        .toUri());
    }
}
