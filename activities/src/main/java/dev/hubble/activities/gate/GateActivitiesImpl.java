package dev.hubble.activities.gate;

import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.gate.GateInput;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.gate.PermitRequest;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;

/**
 * Reaches drivers' gates through the Temporal client: workflow code cannot signal-with-start, so a
 * job's request goes through this activity. Thread-safe; stateless apart from its settings.
 */
public final class GateActivitiesImpl implements GateActivities {

    private static final Logger log = LoggerFactory.getLogger(GateActivitiesImpl.class);

    private final WorkflowClient client;
    private final Function<String, GatePolicy> policyOf;
    private final Duration sweepInterval;
    private final int maxStepsPerRun;

    /**
     * @param policyOf the configured policy of a driver's gate; throws {@link IllegalArgumentException}
     *     for a driver it does not know
     * @param sweepInterval how often a gate this activity starts checks its holders
     * @param maxStepsPerRun steps a gate run handles before it continues as new
     */
    public GateActivitiesImpl(
            WorkflowClient client, Function<String, GatePolicy> policyOf, Duration sweepInterval, int maxStepsPerRun) {
        this.client = Objects.requireNonNull(client, "client");
        this.policyOf = Objects.requireNonNull(policyOf, "policyOf");
        if (sweepInterval.isNegative() || sweepInterval.isZero() || maxStepsPerRun < 10) {
            throw new IllegalArgumentException("sweepInterval must be positive and maxStepsPerRun at least 10, got "
                    + sweepInterval + " and " + maxStepsPerRun);
        }
        this.sweepInterval = sweepInterval;
        this.maxStepsPerRun = maxStepsPerRun;
    }

    /** Gates with each enabled driver's admission settings and default sweeps and runs. */
    public static GateActivitiesImpl of(WorkflowClient client, DriversProperties drivers) {
        return new GateActivitiesImpl(
                client,
                driver -> drivers.driver(driver).gatePolicy(),
                GateInput.DEFAULT_SWEEP_INTERVAL,
                GateInput.DEFAULT_MAX_STEPS_PER_RUN);
    }

    @Override
    public void requestPermit(String driver, PermitRequest request) {
        GatePolicy policy;
        String gateId;
        String taskQueue;
        try {
            policy = policyOf.apply(driver);
            gateId = Gates.workflowId(driver);
            taskQueue = TaskQueues.forDriver(driver);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), UNKNOWN_DRIVER, e);
        }
        GateWorkflow gate = client.newWorkflowStub(
                GateWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(gateId)
                        .setTaskQueue(taskQueue)
                        .build());
        BatchRequest signalWithStart = client.newSignalWithStartRequest();
        signalWithStart.add(gate::run, GateInput.start(driver, policy, sweepInterval, maxStepsPerRun));
        signalWithStart.add(gate::acquire, request, policy);
        try {
            client.signalWithStart(signalWithStart);
        } catch (WorkflowExecutionAlreadyStarted raced) {
            // Two first requests raced to start the gate and the other won: the gate runs now.
            client.newWorkflowStub(GateWorkflow.class, gateId).acquire(request, policy);
        }
        log.debug("Job {} asked gate {} for a permit", request.jobId(), gateId);
    }

    @Override
    public void releasePermit(String driver, String jobId, @Nullable Instant requestedAt) {
        String gateId;
        try {
            gateId = Gates.workflowId(driver);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), UNKNOWN_DRIVER, e);
        }
        client.newWorkflowStub(GateWorkflow.class, gateId).release(jobId, requestedAt);
        log.debug("Job {} gave its permit back to gate {}", jobId, gateId);
    }

    @Override
    public List<String> notRunning(List<String> jobIds) {
        List<String> gone = new ArrayList<>();
        for (String jobId : jobIds) {
            try {
                // No run id: the latest run, so a job that continued as new is still running.
                WorkflowExecutionStatus status =
                        client.newUntypedWorkflowStub(jobId).describe().getStatus();
                if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                    gone.add(jobId);
                }
            } catch (WorkflowNotFoundException e) {
                gone.add(jobId);
            }
        }
        return gone;
    }
}
