package dev.hubble.api.history;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of a job's history the API reads ({@code hubble.history.*}).
 *
 * @param maxEvents history events read per request at most, over all runs, newest runs first:
 *     bounds the memory and time one request can take on a job that ran for weeks
 */
@Validated
@ConfigurationProperties("hubble.history")
public record HistoryProperties(
        @DefaultValue("20000") @Min(100) @Max(1_000_000) int maxEvents) {}
