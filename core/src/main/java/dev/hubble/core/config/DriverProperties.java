package dev.hubble.core.config;

import dev.hubble.core.gate.GatePolicy;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;

/**
 * What every driver has, under {@code hubble.drivers.<driver>.*}; a driver's engine settings sit
 * beside these in its own properties.
 *
 * @param enabled whether jobs of this driver are accepted and run
 * @param pollInitial the wait before the first status poll of a submitted job
 * @param pollFactor how much the wait grows after each poll
 * @param pollMax the longest wait between polls
 * @param maxPollsPerRun watches (see watchWindow) before the job workflow continues as new, keeping its
 *     history short
 * @param concurrency jobs of this driver that may be submitted or running at once
 * @param perSourceConcurrency jobs of one {@code source} that may be submitted or running at once;
 *     0 (the default) for no limit below {@code concurrency}
 * @param sourceWeights shares of named sources when several wait (a source of weight 2 is granted
 *     twice as often as one of weight 1); a source not named has weight 1
 * @param watchWindow how long one watch of a running job lasts before the workflow looks at its
 *     own history (and continues as new when Temporal suggests it); polls within it leave no trace
 * @param killTimeout how long a cancelled or timed-out job waits for its engine to confirm the
 *     kill; after that it ends all the same, with an error that says the kill was not confirmed
 * @param quickLook how long each of the first two looks at a job just submitted lasts; they run in
 *     the workflow task that submitted it, so a job done by then finishes without a round trip
 *     through the Temporal server; {@code 0} leaves them out (engines whose jobs never end so soon)
 * @param results the result store of this driver's jobs, {@code s3} or {@code local}; when unset,
 *     {@code hubble.results.store}
 */
public record DriverProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration pollInitial,
        @DefaultValue("2.0") @DecimalMin("1.0") double pollFactor,
        @DefaultValue("60s") Duration pollMax,
        @DefaultValue("500") @Min(10) int maxPollsPerRun,
        @DefaultValue("4") @Min(1) int concurrency,
        @DefaultValue("0") @Min(0) int perSourceConcurrency,
        @Nullable Map<String, Integer> sourceWeights,
        @DefaultValue("1h") Duration watchWindow,
        @DefaultValue("1m") Duration killTimeout,
        @DefaultValue("1s") Duration quickLook,
        @Nullable String results) {

    @ConstructorBinding
    public DriverProperties {
        sourceWeights = sourceWeights == null ? Map.of() : Map.copyOf(sourceWeights);
        sourceWeights.forEach((source, weight) -> {
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("source-weights." + source + " must be at least 1, got " + weight);
            }
        });
        if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
            throw new IllegalArgumentException("poll-initial must be positive and poll-max at least poll-initial, got "
                    + pollInitial + " and " + pollMax);
        }
        if (watchWindow.isNegative() || watchWindow.isZero() || killTimeout.isNegative() || killTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "watch-window and kill-timeout must be positive, got " + watchWindow + " and " + killTimeout);
        }
        if (quickLook.isNegative() || quickLook.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException(
                    "quick-look must be between 0 and 5s (it holds a workflow task open), got " + quickLook);
        }
    }

    /** A driver with the default watch window, kill timeout, quick look and result store. */
    public DriverProperties(
            boolean enabled,
            Duration pollInitial,
            double pollFactor,
            Duration pollMax,
            int maxPollsPerRun,
            int concurrency) {
        this(enabled, pollInitial, pollFactor, pollMax, maxPollsPerRun, concurrency, null);
    }

    /** A driver with the default watch window, kill timeout and quick look. */
    public DriverProperties(
            boolean enabled,
            Duration pollInitial,
            double pollFactor,
            Duration pollMax,
            int maxPollsPerRun,
            int concurrency,
            @Nullable String results) {
        this(
                enabled,
                pollInitial,
                pollFactor,
                pollMax,
                maxPollsPerRun,
                concurrency,
                0,
                Map.of(),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ofSeconds(1),
                results);
    }

    /** How this driver's gate shares its permits. */
    public GatePolicy gatePolicy() {
        return new GatePolicy(concurrency, perSourceConcurrency, new TreeMap<>(sourceWeights));
    }
}
