package dev.hubble.core.config;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
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
 * @param maxPollsPerRun polls before the job workflow continues as new, keeping its history short
 * @param concurrency jobs of this driver that may be submitted or running at once
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
        @Nullable String results) {

    @ConstructorBinding
    public DriverProperties {
        if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
            throw new IllegalArgumentException(
                    "poll-initial must be positive and poll-max at least poll-initial, got " + pollInitial + " and " + pollMax);
        }
    }

    /** A driver that uses the default result store. */
    public DriverProperties(boolean enabled, Duration pollInitial, double pollFactor, Duration pollMax, int maxPollsPerRun,
            int concurrency) {
        this(enabled, pollInitial, pollFactor, pollMax, maxPollsPerRun, concurrency, null);
    }
}
