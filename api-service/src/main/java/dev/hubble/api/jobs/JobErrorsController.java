package dev.hubble.api.jobs;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a running job reports an error about itself. Kept apart from {@link JobsController}
 * because its caller is the job, not a user: this is where the job's own token will be checked
 * (see {@link JobService#reportError}), without touching the user-facing endpoints.
 */
@RestController
final class JobErrorsController {

    private final JobService jobs;

    JobErrorsController(JobService jobs) {
        this.jobs = jobs;
    }

    /** Hands the error to the job's workflow: {@code 202}; {@code 409} if the job has finished. */
    @PostMapping("/v1/jobs/{jobId}/errors")
    ResponseEntity<Void> report(@PathVariable String jobId, @RequestBody ErrorReportRequest report) {
        jobs.reportError(jobId, report);
        return ResponseEntity.accepted().build();
    }
}
