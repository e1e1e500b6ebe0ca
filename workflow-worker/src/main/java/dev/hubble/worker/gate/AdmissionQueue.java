package dev.hubble.worker.gate;

import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.PermitRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.springframework.lang.Nullable;

/**
 * The jobs waiting at a gate, and the order they are granted in: highest priority first; within a
 * priority, the sources take turns by weight (stride scheduling: each grant adds {@code 1/weight}
 * of a turn to its source's pass, and the source with the lowest pass goes next), skipping a
 * source that holds its per-source share; within a source, first come first served by acceptance
 * time, then job id.
 *
 * <p>A source that starts waiting joins the rotation at the pass of the last grant of its
 * priority, so it neither claims the turns it did not use nor waits behind a source that had the
 * gate to itself. Plain deterministic code: no Temporal calls, no iteration over hash order, not
 * thread-safe (workflow state).
 */
final class AdmissionQueue {

    /** A whole turn, in pass units: a weight divides it, exactly for every weight up to 16. */
    static final long TURN = 720_720L * 1_000;

    private static final Comparator<PermitRequest> FIRST_COME =
            Comparator.comparing(PermitRequest::acceptedAt).thenComparing(PermitRequest::jobId);

    /** Priorities, highest first. */
    private final TreeMap<Integer, Level> levels = new TreeMap<>(Comparator.reverseOrder());
    // Only looked up, never iterated, so its order cannot leak into the workflow's commands.
    private final Map<String, PermitRequest> byJob = new HashMap<>();

    private static final class Level {
        final TreeMap<String, Source> sources = new TreeMap<>();
        /** The pass of the last grant of this priority: where a source that starts waiting begins. */
        long pass;

        Level copy() {
            Level copy = new Level();
            copy.pass = pass;
            sources.forEach((name, source) -> copy.sources.put(name, source.copy()));
            return copy;
        }
    }

    private static final class Source {
        final TreeSet<PermitRequest> waiting = new TreeSet<>(FIRST_COME);
        long pass;

        Source copy() {
            Source copy = new Source();
            copy.pass = pass;
            copy.waiting.addAll(waiting);
            return copy;
        }
    }

    /** Adds {@code request}; changes nothing when its job already waits. */
    void add(PermitRequest request) {
        if (byJob.containsKey(request.jobId())) {
            return;
        }
        Level level = levels.computeIfAbsent(request.priority(), priority -> new Level());
        Source source = level.sources.computeIfAbsent(request.source(), name -> {
            Source joining = new Source();
            joining.pass = level.pass;
            return joining;
        });
        source.waiting.add(request);
        byJob.put(request.jobId(), request);
    }

    /** The waiting request of {@code jobId}, or null. */
    @Nullable
    PermitRequest get(String jobId) {
        return byJob.get(jobId);
    }

    /**
     * Makes {@code request} the waiting request of its job in that request's place: a request asked
     * anew keeps the place in line (priority, source, acceptance time) of the one it replaces, and
     * only names the later request. Adds it when its job does not wait.
     */
    void replace(PermitRequest request) {
        PermitRequest known = byJob.get(request.jobId());
        if (known == null) {
            add(request);
            return;
        }
        PermitRequest renamed = known.askedAt(request.requestedAt());
        Source source = levels.get(known.priority()).sources.get(known.source());
        source.waiting.remove(known);
        source.waiting.add(renamed);
        byJob.put(renamed.jobId(), renamed);
    }

    /** Removes the waiting request of {@code jobId}; false when it does not wait. */
    boolean remove(String jobId) {
        PermitRequest known = byJob.remove(jobId);
        if (known == null) {
            return false;
        }
        Level level = levels.get(known.priority());
        Source source = level.sources.get(known.source());
        source.waiting.remove(known);
        if (source.waiting.isEmpty()) {
            level.sources.remove(known.source());
            if (level.sources.isEmpty()) {
                levels.remove(known.priority());
            }
        }
        return true;
    }

    /**
     * Takes the request to grant next, or null when no source with waiting jobs may hold more.
     *
     * @param heldBySource the permits each source holds now
     */
    @Nullable
    PermitRequest poll(GatePolicy policy, ToIntFunction<String> heldBySource) {
        for (Level level : levels.values()) {
            String next = nextSource(level, policy, heldBySource);
            if (next != null) {
                Source source = level.sources.get(next);
                PermitRequest granted = source.waiting.first();
                level.pass = Math.max(level.pass, source.pass);
                source.pass += TURN / policy.weightOf(next);
                remove(granted.jobId());
                return granted;
            }
        }
        return null;
    }

    /** Whether {@link #poll} would grant a request now. */
    boolean hasGrantable(GatePolicy policy, ToIntFunction<String> heldBySource) {
        for (Level level : levels.values()) {
            if (nextSource(level, policy, heldBySource) != null) {
                return true;
            }
        }
        return false;
    }

    /** The source of {@code level} whose turn it is: the lowest pass, then the earliest first job. */
    private static @Nullable String nextSource(Level level, GatePolicy policy, ToIntFunction<String> heldBySource) {
        String best = null;
        Source bestSource = null;
        for (Map.Entry<String, Source> entry : level.sources.entrySet()) {
            if (!policy.sourceMayHoldMore(heldBySource.applyAsInt(entry.getKey()))) {
                continue;
            }
            Source source = entry.getValue();
            if (bestSource == null
                    || source.pass < bestSource.pass
                    || (source.pass == bestSource.pass
                            && FIRST_COME.compare(source.waiting.first(), bestSource.waiting.first()) < 0)) {
                best = entry.getKey();
                bestSource = source;
            }
        }
        return best;
    }

    boolean isEmpty() {
        return byJob.isEmpty();
    }

    int size() {
        return byJob.size();
    }

    /**
     * Every waiting request in the order it would be granted if none arrived or left meanwhile and
     * every source had room: a waiting job's place in line. Leaves this queue as it is.
     */
    List<PermitRequest> inGrantOrder(GatePolicy policy) {
        AdmissionQueue copy = new AdmissionQueue();
        levels.forEach((priority, level) -> copy.levels.put(priority, level.copy()));
        copy.byJob.putAll(byJob);
        GatePolicy uncapped = new GatePolicy(policy.capacity(), 0, policy.sourceWeights());
        List<PermitRequest> order = new ArrayList<>(byJob.size());
        for (PermitRequest next = copy.poll(uncapped, source -> 0); next != null; next = copy.poll(uncapped, s -> 0)) {
            order.add(next);
        }
        return order;
    }
}
