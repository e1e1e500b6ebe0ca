package dev.hubble.api.jobs;

import dev.hubble.core.security.JobTokens;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a running job talks about itself: the error it saw ({@code /errors}) and how it is doing
 * ({@code /status}). Its caller is the job, not a user, so it must present the job's own token
 * ({@code Authorization: Bearer <HUBBLE_JOB_TOKEN>}): no token or an expired one is a 401,
 * another job's token a 403, and none changes anything.
 */
@RestController
final class JobErrorsController {

    private static final String BEARER = "Bearer ";

    private final JobService jobs;
    private final JobTokens tokens;

    JobErrorsController(JobService jobs, JobTokens tokens) {
        this.jobs = jobs;
        this.tokens = tokens;
    }

    /** Hands the error to the job's workflow: {@code 202}; {@code 409} if the job has finished. */
    @PostMapping("/v1/jobs/{jobId}/errors")
    ResponseEntity<Void> report(
            @PathVariable String jobId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestBody ErrorReportRequest report) {
        checkToken(jobId, authorization);
        jobs.reportError(jobId, report);
        return ResponseEntity.accepted().build();
    }

    /**
     * Hands the job's progress to its workflow, which polls the engine at once: {@code 202};
     * {@code 409} if the job has finished. A hint: the engine's answer stays the truth.
     */
    @PostMapping("/v1/jobs/{jobId}/status")
    ResponseEntity<Void> progress(
            @PathVariable String jobId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestBody StatusReportRequest report) {
        checkToken(jobId, authorization);
        jobs.reportProgress(jobId, report);
        return ResponseEntity.accepted().build();
    }

    private void checkToken(String jobId, @Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw JobTokenException.missing();
        }
        switch (tokens.check(jobId, authorization.substring(BEARER.length()).trim())) {
            case VALID -> {
                // the job's own token, in time
            }
            case MISSING -> throw JobTokenException.missing();
            case EXPIRED -> throw JobTokenException.expired();
            case INVALID, OTHER_JOB -> throw JobTokenException.invalid();
        }
    }
}
