package dev.hubble.api.history;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A job's story: {@code GET /v1/jobs/{id}/history}. */
@RestController
@RequestMapping("/v1/jobs")
final class JobHistoryController {

    private final JobHistories histories;

    JobHistoryController(JobHistories histories) {
        this.histories = histories;
    }

    /**
     * The job's timeline, oldest first, over every run of its workflow: transitions, permit waits,
     * submission, polls that changed something, reports, retries and their failures, cancel
     * requests and timeouts. {@code 404} if Temporal does not know the job (any more).
     */
    @GetMapping("/{jobId}/history")
    JobHistory history(@PathVariable String jobId) {
        return histories.of(jobId);
    }
}
