package dev.hubble.worker.config;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobStateActivities;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.worker.gate.GateWorkflowImpl;
import dev.hubble.worker.job.JobWorkflowImpl;
import dev.hubble.worker.job.JobWorkflowSettings;
import dev.hubble.worker.log.JobLogWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One Temporal worker per driver task queue, each with its own slots, so the jobs of one driver
 * can never take the workers of another. Starts after the application context is ready and stops
 * before it closes.
 */
public final class WorkerPools implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPools.class);

    private final WorkflowClient client;
    private final DriversProperties drivers;
    private final WorkerProperties properties;
    private final JobActivities jobActivities;
    private final JobStateActivities stateActivities;
    private final GateActivities gateActivities;
    private final JobLogActivities logActivities;
    private final Set<String> runnerDrivers;
    private volatile WorkerFactory factory;

    public WorkerPools(
            WorkflowClient client,
            DriversProperties drivers,
            WorkerProperties properties,
            JobActivities jobActivities,
            JobStateActivities stateActivities,
            GateActivities gateActivities,
            JobLogActivities logActivities,
            List<JobRunner> runners) {
        this.client = client;
        this.drivers = drivers;
        this.properties = properties;
        this.jobActivities = jobActivities;
        this.stateActivities = stateActivities;
        this.gateActivities = gateActivities;
        this.logActivities = logActivities;
        this.runnerDrivers = runners.stream().map(JobRunner::driver).collect(Collectors.toUnmodifiableSet());
        served(); // fail at start-up, not at the first job, when the configuration is inconsistent
    }

    /** The drivers this process serves. */
    public SortedSet<String> served() {
        SortedSet<String> enabled = drivers.enabled();
        SortedSet<String> served = new TreeSet<>(properties.drivers().isEmpty() ? enabled : properties.drivers());
        List<String> problems = new ArrayList<>();
        for (String driver : served) {
            if (!enabled.contains(driver)) {
                problems.add("hubble.worker.drivers names " + driver + ", which is not enabled (set hubble.drivers."
                        + driver + ".enabled=true); enabled: " + enabled);
            } else if (!runnerDrivers.contains(driver)) {
                problems.add(
                        "driver " + driver + " has no runner in this worker; runners: " + new TreeSet<>(runnerDrivers));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return served;
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            log.info("No worker pools in this process (hubble.worker.enabled=false)");
            return;
        }
        boolean sticky = properties.workflowCacheSize() > 0;
        WorkerFactory workers = WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder()
                        .setWorkflowCacheSize(properties.workflowCacheSize())
                        .build());
        for (String driver : served()) {
            String taskQueue = TaskQueues.forDriver(driver);
            WorkerOptions.Builder options = WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(properties.activitySlots(driver))
                    .setMaxConcurrentWorkflowTaskExecutionSize(properties.workflowTaskSlots(driver));
            if (!sticky) {
                // No cache to be sticky to: a zero timeout makes the worker ask for no sticky queue.
                options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
            }
            Worker worker = workers.newWorker(taskQueue, options.build());
            JobWorkflowSettings settings = JobWorkflowSettings.of(drivers.driver(driver));
            worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
            // The driver's gate runs on the driver's own queue, so it shares the fate of its workers.
            worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class, JobLogWorkflowImpl.class);
            worker.registerActivitiesImplementations(jobActivities, stateActivities, gateActivities, logActivities);
            log.info(
                    "Worker for driver {} polls task queue {} with {} activity slots",
                    driver,
                    taskQueue,
                    properties.activitySlots(driver));
        }
        workers.start();
        factory = workers;
    }

    @Override
    public synchronized void stop() {
        WorkerFactory workers = factory;
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.warn("Workers did not stop cleanly", e);
        }
        factory = null;
    }

    @Override
    public boolean isRunning() {
        return factory != null;
    }

    @Override
    public int getPhase() {
        // Start last and stop first: workers need the client, the store and the runners.
        return Integer.MAX_VALUE - 100;
    }
}
