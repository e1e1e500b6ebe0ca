package dev.hubble.api.logs;

import dev.hubble.api.history.JobHistories;
import dev.hubble.api.problem.InvalidRequestException;
import dev.hubble.core.temporal.JobLogWorkflow;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/** Reads job log tails through the workers of the jobs' drivers. Thread-safe. */
@Service
public final class JobLogs {

    /** Lines answered when the request names no number. */
    static final int DEFAULT_LINES = 200;
    /** The most lines one request may ask for. */
    static final int MAX_LINES = 10_000;
    /** How long a reader waits for a worker of the driver before the answer is {@code 503}. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final WorkflowClient client;
    private final JobHistories histories;

    JobLogs(WorkflowClient client, JobHistories histories) {
        this.client = client;
        this.histories = histories;
    }

    /** The number of lines {@code lines} asks for: {@value #DEFAULT_LINES} when absent. */
    static int lines(@Nullable String lines) {
        if (lines == null || lines.isBlank()) {
            return DEFAULT_LINES;
        }
        try {
            int n = Integer.parseInt(lines.trim());
            if (n >= 1 && n <= MAX_LINES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidRequestException.of("lines", "must be an integer between 1 and " + MAX_LINES);
    }

    /**
     * At most {@code lines} last lines of the job's log, oldest first; empty while the job has
     * not been submitted to its engine, or when its driver keeps no log (or no longer has it).
     *
     * @throws dev.hubble.api.jobs.JobNotFoundException if Temporal does not know the job
     * @throws LogUnavailableException if no worker of the driver answered in time
     */
    public List<String> tail(String jobId, int lines) {
        Optional<RunHandle> handle = histories.submission(jobId);
        if (handle.isEmpty()) {
            return List.of();
        }
        String driver = handle.get().driver();
        JobLogWorkflow workflow = client.newWorkflowStub(
                JobLogWorkflow.class,
                WorkflowOptions.newBuilder()
                        // One workflow per read: two readers asking for different lengths never share a run.
                        .setWorkflowId(JobLogWorkflow.WORKFLOW_ID_PREFIX + jobId + "-" + UUID.randomUUID())
                        .setTaskQueue(TaskQueues.forDriver(driver))
                        // Nobody waits for it any longer than this: with no worker, it must not linger.
                        .setWorkflowExecutionTimeout(WAIT.plusSeconds(30))
                        .build());
        try {
            WorkflowClient.start(workflow::tail, handle.get(), lines);
            @SuppressWarnings("unchecked")
            List<String> tail =
                    WorkflowStub.fromTyped(workflow).getResult(WAIT.toMillis(), TimeUnit.MILLISECONDS, List.class);
            return tail == null ? List.of() : tail;
        } catch (TimeoutException | WorkflowException e) {
            throw new LogUnavailableException(driver, e);
        }
    }
}
