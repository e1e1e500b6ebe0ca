package dev.hubble.api.logs;

import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A job's log: {@code GET /v1/jobs/{id}/log?lines=N}. */
@RestController
@RequestMapping("/v1/jobs")
final class JobLogController {

    private final JobLogs logs;

    JobLogController(JobLogs logs) {
        this.logs = logs;
    }

    /**
     * The last {@code lines} lines (1 to 10,000, default 200) of the job's log as
     * {@code text/plain}: DuckDB's query and outcome, a local Python job's stdout and stderr,
     * what a remote engine keeps. Empty before the job reached its engine. {@code 404} for an
     * unknown job, {@code 503} when no worker of its driver answered in time.
     */
    @GetMapping(path = "/{jobId}/log", produces = "text/plain;charset=UTF-8")
    String log(@PathVariable String jobId, @RequestParam(required = false) @Nullable String lines) {
        int count = JobLogs.lines(lines);
        StringBuilder text = new StringBuilder();
        for (String line : logs.tail(jobId, count)) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
