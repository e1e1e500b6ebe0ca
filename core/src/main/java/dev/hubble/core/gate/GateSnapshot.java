package dev.hubble.core.gate;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a gate looks like now ({@link GateWorkflow#snapshot}): the source of the per-driver
 * "jobs waiting" and "jobs running" figures and of a waiting job's place in the queue.
 *
 * @param driver the gate's driver
 * @param capacity the permits the gate grants at most at once
 * @param running how many permits are held; may exceed {@code capacity} for a while after the
 *     capacity was lowered, since held permits are never revoked
 * @param waiting how many jobs wait for a permit
 * @param holders the jobs holding a permit, in grant order
 * @param queue the waiting jobs, in the order they will be granted
 */
public record GateSnapshot(
        String driver, int capacity, int running, int waiting, List<String> holders, List<String> queue) {

    public GateSnapshot {
        Objects.requireNonNull(driver, "driver");
        holders = List.copyOf(holders);
        queue = List.copyOf(queue);
        if (running != holders.size() || waiting != queue.size()) {
            throw new IllegalArgumentException("counts disagree with the lists: running " + running + " of "
                    + holders.size() + " holders, waiting " + waiting + " of " + queue.size() + " queued");
        }
    }

    /** A snapshot built from the gate's lists. */
    public static GateSnapshot of(String driver, int capacity, List<String> holders, List<String> queue) {
        return new GateSnapshot(driver, capacity, holders.size(), queue.size(), holders, queue);
    }

    /**
     * The place of {@code jobId} in the queue: 1 when it is granted next; empty when it does not
     * wait (it holds a permit, or the gate does not know it).
     */
    public OptionalInt position(String jobId) {
        int index = queue.indexOf(jobId);
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index + 1);
    }

    /** Whether {@code jobId} holds a permit. */
    public boolean holds(String jobId) {
        return holders.contains(jobId);
    }
}
