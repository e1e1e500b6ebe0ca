package dev.hubble.worker.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * This worker process ({@code hubble.worker.*}).
 *
 * @param drivers the drivers whose task queues this process serves; empty means every enabled
 *     driver. Run one process per driver (e.g. {@code spark}) to scale each pool on its own.
 * @param maxConcurrentActivities activities one driver's worker runs at once, unless its pool says
 *     otherwise
 * @param maxConcurrentWorkflowTasks workflow tasks one driver's worker runs at once, unless its pool
 *     says otherwise
 * @param shutdownGrace how long a stopping worker waits for running activities to finish
 * @param pools per-driver slot limits ({@code hubble.worker.pools.<driver>.*})
 * @param enabled whether this process runs worker pools at all; false leaves the job workflows
 *     and their activities to worker processes of their own (an API-only local stack)
 * @param workflowCacheSize workflow runs kept in memory between their workflow tasks, so the
 *     next task of a run goes to this process (its sticky queue) and needs no replay. 0 keeps
 *     none and asks for no sticky queue: every task goes to the driver's queue, for any worker,
 *     with the run's whole history. For a server that does not move work off the sticky queue
 *     of a worker that died, as the Temporal test server does not.
 */
@Validated
@ConfigurationProperties("hubble.worker")
public record WorkerProperties(
        @DefaultValue List<String> drivers,
        @DefaultValue("50") @Min(1) int maxConcurrentActivities,
        @DefaultValue("20") @Min(2) int maxConcurrentWorkflowTasks,
        @DefaultValue("20s") Duration shutdownGrace,
        @DefaultValue Map<String, Pool> pools,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("600") @Min(0) int workflowCacheSize) {

    /**
     * One driver's worker pool; an unset limit falls back to the process-wide one.
     *
     * @param maxConcurrentActivities activities this driver's worker runs at once
     * @param maxConcurrentWorkflowTasks workflow tasks this driver's worker runs at once
     */
    public record Pool(
            @Nullable @Min(1) Integer maxConcurrentActivities,
            @Nullable @Min(2) Integer maxConcurrentWorkflowTasks) {}

    /** The activity slots of {@code driver}'s worker. */
    public int activitySlots(String driver) {
        Pool pool = pools.get(driver);
        return pool == null || pool.maxConcurrentActivities() == null
                ? maxConcurrentActivities
                : pool.maxConcurrentActivities();
    }

    /** The workflow-task slots of {@code driver}'s worker. */
    public int workflowTaskSlots(String driver) {
        Pool pool = pools.get(driver);
        return pool == null || pool.maxConcurrentWorkflowTasks() == null
                ? maxConcurrentWorkflowTasks
                : pool.maxConcurrentWorkflowTasks();
    }
}
