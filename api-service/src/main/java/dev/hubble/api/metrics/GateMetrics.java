package dev.hubble.api.metrics;

import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Per driver, the jobs waiting for a permit ({@code hubble.jobs.waiting}) and holding one
 * ({@code hubble.jobs.running}: submitted or running at the engine), as its gate counts them.
 *
 * <p>A background thread asks every gate each {@link #REFRESH}; scrapes read the last answer, so a
 * slow or unreachable Temporal never holds up a scrape. A driver without a gate yet (no job so
 * far) counts 0; a gate that cannot be asked keeps its last figures.
 */
@Component
final class GateMetrics implements MeterBinder, DisposableBean {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(GateMetrics.class);

    private final WorkflowClient client;
    private final DriversProperties drivers;
    private final Map<String, GateSnapshot> snapshots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hubble-gate-metrics");
        thread.setDaemon(true);
        return thread;
    });

    GateMetrics(WorkflowClient client, DriversProperties drivers) {
        this.client = client;
        this.drivers = drivers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String driver : drivers.enabled()) {
            snapshots.put(driver, empty(driver));
            gauge(registry, "hubble.jobs.waiting", "Jobs waiting for a permit of their driver's gate", driver, GateSnapshot::waiting);
            gauge(registry, "hubble.jobs.running", "Jobs holding a permit of their driver's gate: submitted or running",
                    driver, GateSnapshot::running);
        }
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }

    private void gauge(MeterRegistry registry, String name, String description, String driver,
            ToIntFunction<GateSnapshot> figure) {
        Gauge.builder(name, snapshots, s -> figure.applyAsInt(s.getOrDefault(driver, empty(driver))))
                .description(description)
                .tag("driver", driver)
                .register(registry);
    }

    private void refresh() {
        for (String driver : drivers.enabled()) {
            try {
                snapshots.put(driver, client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(driver)).snapshot());
            } catch (WorkflowNotFoundException e) {
                snapshots.put(driver, empty(driver));
            } catch (RuntimeException e) {
                log.debug("Gate of {} could not be asked: {}", driver, e.toString());
            }
        }
    }

    private static GateSnapshot empty(String driver) {
        return GateSnapshot.of(driver, 0, List.of(), List.of());
    }
}
