package dev.hubble.api.jobs;

import dev.hubble.api.config.ApiProperties;
import dev.hubble.api.gates.GateSnapshots;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.job.JobCatalog;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobCancellation;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.ProgressReport;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.core.view.JobDocument;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * What the API does with jobs, over Temporal and the job store. Thread-safe.
 *
 * <p>Reads prefer the store and fall back to the workflow's {@code status} query when the store
 * has no record or cannot be reached. Temporal being unreachable is a
 * {@link TemporalUnavailableException}; the store being unreachable is logged and worked
 * around wherever Temporal can answer instead.
 */
@Service
public final class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    /** The MDC key of the job a log line is about, as in {@code JobIdMdcInterceptor}. */
    private static final String MDC_JOB_ID = "jobId";

    /** gRPC codes that mean "Temporal cannot answer now" rather than "this request is wrong". */
    private static final Set<Status.Code> UNAVAILABLE =
            EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    private final WorkflowClient client;
    private final JobStore store;
    private final Clock clock;
    private final JobRequestValidator validator;
    private final MeterRegistry meters;
    private final GateSnapshots gates;
    private final ResultStores results;
    /** Whether the last read of the store failed: its outage has been logged. */
    private final AtomicBoolean storeDown = new AtomicBoolean();

    JobService(
            WorkflowClient client,
            JobStore store,
            Clock clock,
            ApiProperties api,
            DriversProperties drivers,
            List<JobCatalog> catalogs,
            ResultStores results,
            ObjectProvider<MeterRegistry> meters,
            GateSnapshots gates) {
        this.results = results;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.gates = gates;
        this.client = client;
        this.store = store;
        this.clock = clock;
        this.validator = new JobRequestValidator(api, drivers, catalogs);
    }

    /**
     * Accepts a job: starts its workflow, then records it QUEUED. With an idempotency key, a job
     * already submitted with the same key by the same source is returned as it is now, and
     * nothing new starts.
     *
     * @throws dev.hubble.api.problem.InvalidRequestException if the request is invalid
     * @throws TemporalUnavailableException if the workflow could not be started
     */
    JobRecord submit(SubmitJobRequest request, @Nullable String idempotencyKey) {
        JobSpec spec = validator.toSpec(request, idempotencyKey);
        if (idempotencyKey == null) {
            return submit(spec, JobIds.random(), false);
        }
        return submit(spec, JobIds.idempotent(spec.source(), idempotencyKey), true);
    }

    /**
     * Accepts a job a {@code hubble.job.submit} command asked for, exactly as {@link #submit}
     * would with an idempotency key: the command's CloudEvent {@code source} and {@code id} name
     * the job, so the same command delivered again answers with the job it made the first time.
     * Returns once Temporal has acknowledged the workflow's start (or it was started before).
     *
     * @throws dev.hubble.api.problem.InvalidRequestException if the request is invalid
     * @throws dev.hubble.api.problem.ProblemException of type {@code TEMPORAL_UNAVAILABLE} if the
     *     workflow could not be started; trying again later may succeed
     */
    public JobRecord submitCommand(SubmitJobRequest request, String eventSource, String eventId) {
        JobSpec spec = validator.toSpec(request, null);
        return submit(spec, JobIds.fromCommand(eventSource, eventId), true);
    }

    private JobRecord submit(JobSpec spec, String jobId, boolean idempotent) {
        try (var mdc = MDC.putCloseable(MDC_JOB_ID, jobId)) {
            if (idempotent) {
                Optional<JobRecord> existing = findStored(jobId, store::find);
                if (existing.isPresent()) {
                    log.info("Job {} was already submitted by the same request; starting nothing", jobId);
                    return existing.get();
                }
            }
            // Where the files go is decided now, once, and recorded: the job's links keep working
            // whatever the configuration says later.
            JobRecord accepted = JobRecord.accepted(
                    jobId, spec.withResultLocation(results.locationFor(spec.driver(), jobId)), clock.instant());
            try {
                start(accepted);
            } catch (WorkflowExecutionAlreadyStarted e) {
                // Only a closed workflow is rejected (a running one is reused): the job ran already.
                log.info("Job {} has already run; answering with its record", jobId);
                return current(jobId);
            }
            meters.counter("hubble.jobs.submitted", "driver", spec.driver()).increment();
            log.info("Accepted job {} for driver {} from source {}", jobId, spec.driver(), spec.source());
            return recordAccepted(accepted);
        }
    }

    /**
     * The job's newest record: from the store, else from its workflow.
     *
     * @throws JobNotFoundException if neither knows the job
     */
    JobRecord current(String jobId) {
        if (!JobIds.isValid(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        Optional<JobRecord> stored = findStored(jobId, store::find);
        return stored.isPresent() ? stored.get() : fromWorkflow(jobId);
    }

    /**
     * What a read of one job starts from: its newest record and, when it came from the store, its
     * children, read with it in one round trip (null when the record came from the workflow).
     *
     * @throws JobNotFoundException if neither the store nor Temporal knows the job
     */
    JobRead read(String jobId) {
        if (!JobIds.isValid(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        Optional<JobStore.StoredJob> stored = findStored(jobId, store::findWithChildren);
        return stored.isPresent()
                ? new JobRead(stored.get().record(), stored.get().children())
                : new JobRead(fromWorkflow(jobId), null);
    }

    /** A job's newest record and the ids of its children; null children when not read yet. */
    record JobRead(JobRecord record, @Nullable List<String> children) {}

    private JobRecord fromWorkflow(String jobId) {
        try {
            return temporal(
                    () -> client.newWorkflowStub(JobWorkflow.class, jobId).status());
        } catch (WorkflowException e) {
            throw notFoundOr(e, new JobNotFoundException(jobId));
        }
    }

    /**
     * What only a read of one job looks up: its place in its driver's queue while it waits for a
     * permit (from the gates' snapshots, refreshed in the background, so a read never asks the
     * gate and costs the same however long the queue), and its children (from the store). Either is left out when it
     * cannot be had cheaply right now; the rest of the answer does not depend on them.
     */
    JobDocument withLiveDetails(JobDocument document, @Nullable List<String> knownChildren) {
        Integer position = null;
        if (document.state() == JobState.QUEUED) {
            OptionalInt place = gates.position(document.driver(), document.jobId());
            position = place.isPresent() ? place.getAsInt() : null;
        }
        List<String> children = knownChildren;
        if (children == null) {
            try {
                children = store.children(document.jobId());
            } catch (DataAccessException e) {
                children = List.of();
            }
        }
        return document.withLiveDetails(position, children);
    }

    /**
     * Jobs matching {@code query}, newest first.
     *
     * @throws StoreUnavailableException if the store cannot be reached; Temporal cannot list jobs
     */
    List<JobRecord> list(JobQuery query) {
        try {
            return store.list(query);
        } catch (DataAccessException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** The filter {@code GET /v1/jobs} asks for. */
    JobQuery query(@Nullable String source, @Nullable String state, @Nullable String driver, @Nullable String limit) {
        return validator.toQuery(source, state, driver, limit);
    }

    /**
     * Asks the job's workflow to cancel; the workflow kills the remote job and records CANCELLED.
     *
     * @return the job's record before the cancellation took effect
     * @throws dev.hubble.api.problem.ProblemException of type {@code JOB_NOT_FOUND} if there is no
     *     such job, {@code JOB_FINISHED} if it has already finished, {@code TEMPORAL_UNAVAILABLE}
     *     if Temporal cannot be reached
     */
    public JobRecord cancel(String jobId) {
        JobRecord record = running(jobId);
        try {
            temporal(() -> {
                JobCancellation.request(client, jobId);
                return null;
            });
        } catch (WorkflowException e) {
            throw notFoundOr(e, new JobFinishedException(jobId, null));
        }
        log.info("Requested cancellation of job {}", jobId);
        return record;
    }

    /**
     * Hands an error the job reports about itself to its workflow, where it becomes the job's
     * error if the job fails.
     *
     * <p>The caller is the job itself: {@link JobErrorsController} checked its token.
     *
     * @throws JobFinishedException if the job has already finished
     */
    void reportError(String jobId, ErrorReportRequest report) {
        JobError error = validator.toError(report);
        running(jobId);
        try {
            temporal(() -> {
                client.newWorkflowStub(JobWorkflow.class, jobId).reportError(error);
                return null;
            });
        } catch (WorkflowException e) {
            throw notFoundOr(e, new JobFinishedException(jobId, null));
        }
        log.info("Job {} reported an error", jobId);
    }

    /**
     * Hands a job's report of its own progress to its workflow, which polls the engine at once.
     *
     * <p>The caller is the job itself: {@link JobErrorsController} checked its token.
     *
     * @throws JobFinishedException if the job has already finished
     */
    void reportProgress(String jobId, StatusReportRequest report) {
        ProgressReport progress = validator.toProgress(report);
        running(jobId);
        try {
            temporal(() -> {
                client.newWorkflowStub(JobWorkflow.class, jobId).reportProgress(progress);
                return null;
            });
        } catch (WorkflowException e) {
            throw notFoundOr(e, new JobFinishedException(jobId, null));
        }
        log.info("Job {} reported it is {}", jobId, progress.phase());
    }

    private JobRecord running(String jobId) {
        JobRecord record = current(jobId);
        if (record.state().isTerminal()) {
            throw new JobFinishedException(jobId, record.state());
        }
        return record;
    }

    private void start(JobRecord record) {
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(record.jobId())
                .setTaskQueue(TaskQueues.forDriver(record.spec().driver()))
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build();
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, options);
        temporal(() -> WorkflowClient.start(workflow::run, JobWorkflowInput.start(record)));
    }

    /**
     * Stores the QUEUED record of a just-started job. The store keeps a newer record if the
     * workflow, or a concurrent submission with the same key, got there first; that one is the
     * answer then. A store outage loses nothing: the workflow records the job itself.
     */
    private JobRecord recordAccepted(JobRecord accepted) {
        try {
            if (store.save(accepted)) {
                return accepted;
            }
            return store.find(accepted.jobId()).orElse(accepted);
        } catch (DataAccessException e) {
            log.warn(
                    "Job store unreachable; job {} is started and its workflow will record it: {}",
                    accepted.jobId(),
                    e.toString());
            return accepted;
        }
    }

    /**
     * The stored record of a job, or empty when the store has none or cannot be reached. An
     * outage is logged when it begins and when it ends, not at every read: while it lasts, every
     * read asks the workflows instead.
     */
    private <T> Optional<T> findStored(String jobId, Function<String, Optional<T>> find) {
        try {
            Optional<T> stored = find.apply(jobId);
            if (storeDown.compareAndSet(true, false)) {
                log.info("Job store reachable again; reads come from it again");
            }
            return stored;
        } catch (DataAccessException e) {
            if (storeDown.compareAndSet(false, true)) {
                log.warn("Job store unreachable; reads ask the workflows until it is back: {}", e.toString());
            } else {
                log.debug("Job store still unreachable; asking the workflow of job {}", jobId);
            }
            return Optional.empty();
        }
    }

    /** Runs a Temporal call, turning "Temporal cannot answer now" into {@link TemporalUnavailableException}. */
    private static <T> T temporal(Supplier<T> call) {
        try {
            return call.get();
        } catch (WorkflowServiceException | StatusRuntimeException e) {
            if (hasStatus(e, UNAVAILABLE)) {
                throw new TemporalUnavailableException(e);
            }
            throw e;
        }
    }

    /** {@code ifNotFound} if {@code e} says the workflow does not exist (or has closed), else {@code e}. */
    private static RuntimeException notFoundOr(WorkflowException e, RuntimeException ifNotFound) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WorkflowNotFoundException) {
                return ifNotFound;
            }
        }
        return hasStatus(e, EnumSet.of(Status.Code.NOT_FOUND)) ? ifNotFound : e;
    }

    private static boolean hasStatus(Throwable e, Set<Status.Code> codes) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException sre
                    && codes.contains(sre.getStatus().getCode())) {
                return true;
            }
        }
        return false;
    }
}
