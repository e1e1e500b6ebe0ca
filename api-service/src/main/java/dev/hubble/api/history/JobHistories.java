package dev.hubble.api.history;

import dev.hubble.api.jobs.JobIds;
import dev.hubble.api.jobs.JobNotFoundException;
import dev.hubble.api.jobs.TemporalUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Reads job timelines from Temporal. Thread-safe. */
@Service
public final class JobHistories {

    private static final Set<Status.Code> UNAVAILABLE = Set.of(
            Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    private final WorkflowClient client;
    private final WorkflowRuns runs;

    JobHistories(WorkflowClient client, HistoryProperties properties) {
        this.client = client;
        this.runs = new WorkflowRuns(client, properties.maxEvents());
    }

    /**
     * The timeline of job {@code jobId} over all its runs.
     *
     * @throws JobNotFoundException if Temporal has no workflow for it (never had, or has deleted
     *     it after its retention period)
     * @throws TemporalUnavailableException if Temporal cannot answer now
     */
    public JobHistory of(String jobId) {
        if (!JobIds.isValid(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        WorkflowRuns.Runs read;
        try {
            read = runs.read(jobId);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                throw new JobNotFoundException(jobId);
            }
            if (UNAVAILABLE.contains(code)) {
                throw new TemporalUnavailableException(e);
            }
            throw e;
        }
        Timeline timeline = new Timeline(client.getOptions().getDataConverter());
        for (List<io.temporal.api.history.v1.HistoryEvent> run : read.runs()) {
            timeline.addRun(run);
        }
        return timeline.history(jobId, read.truncated());
    }
}
