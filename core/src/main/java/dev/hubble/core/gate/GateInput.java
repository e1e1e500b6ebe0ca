package dev.hubble.core.gate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The argument of {@link GateWorkflow#run}: the gate's settings, and, when the gate continued as
 * new, the permits it holds and the jobs waiting.
 *
 * @param driver the driver whose jobs the gate admits
 * @param capacity the permits the gate grants at most at once; 0 grants nothing. It is the
 *     configured policy's capacity unless an operator set another ({@link GateWorkflow#setCapacity})
 * @param configured the policy the drivers' configuration last named; a request that names another
 *     one replaces it, and its capacity {@code capacity} (see {@link GateWorkflow#acquire})
 * @param sweepInterval how often the gate checks that its holders are still running
 * @param maxStepsPerRun signals, grants and sweeps a run handles before it continues as new,
 *     which bounds its history (a step adds at most about six events)
 * @param holders the requests holding a permit, in grant order
 * @param queue the requests waiting, in grant order
 */
public record GateInput(
        String driver,
        int capacity,
        GatePolicy configured,
        Duration sweepInterval,
        int maxStepsPerRun,
        List<PermitRequest> holders,
        List<PermitRequest> queue) {

    /** How often a gate checks its holders unless told otherwise. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** Steps per run unless told otherwise: about 6,000 events at most, under Temporal's 10,240 warning. */
    public static final int DEFAULT_MAX_STEPS_PER_RUN = 1_000;

    public GateInput {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive: " + sweepInterval);
        }
        if (maxStepsPerRun < 10) {
            throw new IllegalArgumentException("maxStepsPerRun must be at least 10: " + maxStepsPerRun);
        }
        holders = holders == null ? List.of() : List.copyOf(holders);
        queue = queue == null ? List.of() : List.copyOf(queue);
    }

    /** The input of a gate's first run. */
    public static GateInput start(String driver, GatePolicy policy, Duration sweepInterval, int maxStepsPerRun) {
        return new GateInput(driver, policy.capacity(), policy, sweepInterval, maxStepsPerRun, List.of(), List.of());
    }
}
