package dev.hubble.api.history;

import dev.hubble.api.jobs.JobIds;
import dev.hubble.api.jobs.JobNotFoundException;
import dev.hubble.api.jobs.TemporalUnavailableException;
import dev.hubble.core.temporal.RunHandle;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/** Reads job timelines from Temporal. Thread-safe. */
@Service
public final class JobHistories {

    /** The activity whose result is the job's {@link RunHandle}. */
    static final String SUBMIT_ACTIVITY = "JobSubmit";

    private static final Set<Status.Code> UNAVAILABLE =
            Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

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
        WorkflowRuns.Runs read = temporal(jobId, () -> runs.read(jobId));
        Timeline timeline = new Timeline(client.getOptions().getDataConverter());
        for (List<io.temporal.api.history.v1.HistoryEvent> run : read.runs()) {
            timeline.addRun(run);
        }
        return timeline.history(jobId, read.truncated());
    }

    /**
     * The handle job {@code jobId} got when its driver accepted it (the result of its submit
     * activity), or empty while it has not been submitted, or if it never was.
     *
     * @throws JobNotFoundException if Temporal has no workflow for it
     * @throws TemporalUnavailableException if Temporal cannot answer now
     */
    public Optional<RunHandle> submission(String jobId) {
        Optional<Payloads> result = temporal(jobId, () -> runs.firstResultOf(jobId, SUBMIT_ACTIVITY));
        return result.map(payloads -> client.getOptions()
                .getDataConverter()
                .fromPayloads(0, Optional.of(payloads), RunHandle.class, RunHandle.class));
    }

    private static <T> T temporal(String jobId, Supplier<T> call) {
        if (!JobIds.isValid(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        try {
            return call.get();
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
    }
}
