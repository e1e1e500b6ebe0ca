package dev.hubble.worker.gate;

import dev.hubble.core.gate.PermitRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds and releases permits the way the job workflow does, asking with {@link
 * GatePermit#acquireUnless} and the deadline a timer left to fire: every way out of a hold (done,
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
            PermitRequest request = new PermitRequest(
                    jobId, plan.priority(), Instant.ofEpochMilli(Workflow.currentTimeMillis()), plan.source(), null);
            Promise<Void> waitedLongEnough = plan.maxWait() == null ? null : GatePermit.detachedTimer(plan.maxWait());
            if (!permit.acquireUnless(
                    plan.driver(), request, () -> waitedLongEnough != null && waitedLongEnough.isCompleted())) {
                if (CancellationScope.current().isCancelRequested()) {
                    throw new CanceledFailure("cancelled while waiting for a permit");
                }
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
        if (plan.lingering()) {
            Workflow.await(() -> finishRequested);
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
    public void permitGranted(Instant requestedAt) {
        permit.granted(requestedAt);
    }
}
