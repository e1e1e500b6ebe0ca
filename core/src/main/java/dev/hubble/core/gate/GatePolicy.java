package dev.hubble.core.gate;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a driver's gate shares its permits, from the driver's settings ({@code
 * hubble.drivers.<driver>.concurrency}, {@code per-source-concurrency}, {@code source-weights}).
 * Every request carries the sender's policy; a gate adopts one that differs from the last it was
 * sent, so a configuration change reaches a running gate with the next request.
 *
 * <p>Within a priority the sources with waiting jobs take turns: each grant moves its source back by
 * {@code 1 / weight} of a turn (stride scheduling), so a source of weight 2 gets two permits for every
 * one of a source of weight 1 while both wait, and a source that starts waiting joins the rotation
 * at its current place instead of claiming the turns it did not use.
 *
 * @param capacity permits held at once at most, across every source; 0 grants nothing
 * @param perSourceCapacity permits one source holds at once at most; 0 for no limit below {@code
 *     capacity}
 * @param sourceWeights weights of named sources, each at least 1; a source not named has weight 1
 */
public record GatePolicy(int capacity, int perSourceCapacity, SortedMap<String, Integer> sourceWeights) {

    public GatePolicy {
        if (capacity < 0 || perSourceCapacity < 0) {
            throw new IllegalArgumentException(
                    "capacities must not be negative: " + capacity + ", per source " + perSourceCapacity);
        }
        // Sorted: workflow code may only see a deterministic order.
        TreeMap<String, Integer> weights = new TreeMap<>(sourceWeights == null ? Map.of() : sourceWeights);
        weights.forEach((source, weight) -> {
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("the weight of source " + source + " must be at least 1: " + weight);
            }
        });
        sourceWeights = Collections.unmodifiableSortedMap(weights);
    }

    /** Only a capacity: every source alike, none limited below it. */
    public static GatePolicy of(int capacity) {
        return new GatePolicy(capacity, 0, new TreeMap<>());
    }

    /** The weight of {@code source}. */
    public int weightOf(String source) {
        return sourceWeights.getOrDefault(source, 1);
    }

    /** Whether a source that holds {@code held} permits may be granted one more. */
    public boolean sourceMayHoldMore(int held) {
        return perSourceCapacity == 0 || held < perSourceCapacity;
    }

    /** This policy with another capacity. */
    public GatePolicy withCapacity(int capacity) {
        return new GatePolicy(capacity, perSourceCapacity, sourceWeights);
    }
}
