package dev.hubble.worker.gate;

import dev.hubble.core.gate.PermitHolder;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * A stand-in for a job workflow: asks its driver's gate for a permit the way a job does
 * ({@link GatePermit}), holds it as its plan says, and gives it back. Its workflow id is its job
 * id. Extending {@link PermitHolder} is exactly what {@code JobWorkflow} must do.
 */
@WorkflowInterface
public interface HolderWorkflow extends PermitHolder {

    /** Runs the plan; returns how many times the permit was granted. */
    @WorkflowMethod
    int hold(Plan plan);

    /** Ends the current hold now, or the next one as soon as it begins. */
    @SignalMethod
    void finish();

    /**
     * @param driver whose gate to ask
     * @param priority of every request
     * @param holdFor how long each grant is held, unless {@link #finish} comes first
     * @param maxWait how long to wait for a grant; null waits for ever
     * @param fail whether the job fails after its first hold
     * @param cycles how many times to acquire and release
     * @param recorded whether grants and releases go to the {@link Timeline}
     * @param continueAsNew whether the first run continues as new as soon as it holds the permit
     * @param resumed whether this run took over the permit of the run before
     * @param source the source every request names
     * @param lingering whether, its cycles done, it waits for {@link #finish} before it ends
     */
    record Plan(
            String driver,
            int priority,
            Duration holdFor,
            @Nullable Duration maxWait,
            boolean fail,
            int cycles,
            boolean recorded,
            boolean continueAsNew,
            boolean resumed,
            String source,
            boolean lingering) {

        public Plan {
            Objects.requireNonNull(driver, "driver");
            Objects.requireNonNull(holdFor, "holdFor");
            Objects.requireNonNull(source, "source");
        }

        static Plan holding(String driver, Duration holdFor) {
            return new Plan(driver, 5, holdFor, null, false, 1, true, false, false, "tests", false);
        }

        Plan withPriority(int priority) {
            return new Plan(
                    driver,
                    priority,
                    holdFor,
                    maxWait,
                    fail,
                    cycles,
                    recorded,
                    continueAsNew,
                    resumed,
                    source,
                    lingering);
        }

        Plan waitingAtMost(Duration maxWait) {
            return new Plan(
                    driver,
                    priority,
                    holdFor,
                    maxWait,
                    fail,
                    cycles,
                    recorded,
                    continueAsNew,
                    resumed,
                    source,
                    lingering);
        }

        Plan failing() {
            return new Plan(
                    driver,
                    priority,
                    holdFor,
                    maxWait,
                    true,
                    cycles,
                    recorded,
                    continueAsNew,
                    resumed,
                    source,
                    lingering);
        }

        Plan cycling(int cycles) {
            return new Plan(
                    driver, priority, holdFor, maxWait, fail, cycles, false, continueAsNew, resumed, source, lingering);
        }

        Plan continuingAsNewWhileHolding() {
            return new Plan(
                    driver, priority, holdFor, maxWait, fail, cycles, recorded, true, resumed, source, lingering);
        }

        Plan from(String source) {
            return new Plan(
                    driver,
                    priority,
                    holdFor,
                    maxWait,
                    fail,
                    cycles,
                    recorded,
                    continueAsNew,
                    resumed,
                    source,
                    lingering);
        }

        Plan lingeringWhenDone() {
            return new Plan(
                    driver, priority, holdFor, maxWait, fail, cycles, recorded, continueAsNew, resumed, source, true);
        }

        Plan resumedInTheNextRun() {
            return new Plan(driver, priority, holdFor, maxWait, fail, cycles, recorded, false, true, source, lingering);
        }
    }
}
