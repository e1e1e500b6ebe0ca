package dev.hubble.api.metrics;

import dev.hubble.api.gates.GateSnapshots;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToIntFunction;
import org.springframework.stereotype.Component;

/**
 * Per driver, the jobs waiting for a permit ({@code hubble.jobs.waiting}) and holding one
 * ({@code hubble.jobs.running}: submitted or running at the engine), as its gate counts them,
 * from the snapshots {@link GateSnapshots} keeps, so a scrape never waits on Temporal. A driver
 * without a gate yet (no job so far) counts 0; a gate that cannot be asked keeps its last figures.
 */
@Component
final class GateMetrics implements MeterBinder {

    private final GateSnapshots gates;
    private final DriversProperties drivers;

    GateMetrics(GateSnapshots gates, DriversProperties drivers) {
        this.gates = gates;
        this.drivers = drivers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String driver : drivers.enabled()) {
            gauge(
                    registry,
                    "hubble.jobs.waiting",
                    "Jobs waiting for a permit of their driver's gate",
                    driver,
                    GateSnapshot::waiting);
            gauge(
                    registry,
                    "hubble.jobs.running",
                    "Jobs holding a permit of their driver's gate: submitted or running",
                    driver,
                    GateSnapshot::running);
        }
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            String description,
            String driver,
            ToIntFunction<GateSnapshot> figure) {
        Gauge.builder(name, gates, g -> figure.applyAsInt(g.snapshot(driver)))
                .description(description)
                .tag("driver", driver)
                .register(registry);
    }
}
