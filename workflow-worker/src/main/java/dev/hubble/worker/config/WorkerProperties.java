package dev.hubble.worker.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * This worker process ({@code hubble.worker.*}).
 *
 * @param drivers the drivers whose task queues this process serves; empty means every enabled
 *     driver. Run one process per driver (e.g. {@code spark}) to scale each pool on its own.
 * @param maxConcurrentActivities activities one driver's worker runs at once
 * @param maxConcurrentWorkflowTasks workflow tasks one driver's worker runs at once
 * @param shutdownGrace how long a stopping worker waits for running activities to finish
 */
@Validated
@ConfigurationProperties("hubble.worker")
public record WorkerProperties(
        @DefaultValue List<String> drivers,
        @DefaultValue("50") @Min(1) int maxConcurrentActivities,
        @DefaultValue("20") @Min(2) int maxConcurrentWorkflowTasks,
        @DefaultValue("20s") Duration shutdownGrace) {
}
