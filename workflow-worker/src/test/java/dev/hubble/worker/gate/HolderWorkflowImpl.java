package dev.hubble.worker.gate;

import dev.hubble.core.gate.PermitRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds and releases permits the way the job workflow does: every way out of a hold (done,
 * failed, cancelled) gives the permit back through {@link GatePermit#release}; a run that
 * continues as new keeps it, and the next run takes it over.
 */
public final class HolderWorkflowImpl implements HolderWorkflow {

    private final GatePermit permit = new GatePermit();
    private final Timeline timeline = Workflow.newActivityStub(
            Timeline.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .build());
    private boolean finishRequested;

    @Override
    public int hold(Plan plan) {
        String jobId = Workflow.getInfo().getWorkflowId();
        if (plan.resumed()) {
            permit.resumeHolding(plan.driver(), jobId);
            holdThenRelease(plan, jobId, false);
            return 1;
        }
        int grants = 0;
        for (int cycle = 0; cycle < plan.cycles(); cycle++) {
            PermitRequest request =
                    new PermitRequest(jobId, plan.priority(), Instant.ofEpochMilli(Workflow.currentTimeMillis()));
            if (plan.maxWait() == null) {
                permit.acquire(plan.driver(), request);
            } else if (!permit.acquire(plan.driver(), request, plan.maxWait())) {
                return grants;
            }
            grants++;
            if (plan.continueAsNew()) {
                // Outside any try/finally: continuing as new must not release the permit.
                record(plan, () -> timeline.granted(jobId));
                Workflow.continueAsNew(plan.resumedInTheNextRun());
            }
            holdThenRelease(plan, jobId, true);
        }
        return grants;
    }

    private void holdThenRelease(Plan plan, String jobId, boolean recordGrant) {
        try {
            if (recordGrant) {
                record(plan, () -> timeline.granted(jobId));
            }
            if (!plan.holdFor().isZero()) {
                Workflow.await(plan.holdFor(), () -> finishRequested);
            }
            finishRequested = false;
            if (plan.fail()) {
                throw ApplicationFailure.newNonRetryableFailure("the job failed", "TestJobFailed");
            }
        } finally {
            if (permit.isHeld()) {
                // Recorded before the gate hears of the release: the recorded hold lies inside the gate's.
                Workflow.newDetachedCancellationScope(() -> record(plan, () -> timeline.released(jobId)))
                        .run();
            }
            permit.release();
        }
    }

    private static void record(Plan plan, Runnable report) {
        if (plan.recorded()) {
            report.run();
        }
    }

    @Override
    public void finish() {
        finishRequested = true;
    }

    @Override
    public void permitGranted() {
        permit.granted();
    }
}
