package dev.hubble.api.gates;

import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The last snapshot of every enabled driver's gate, asked for by a background thread every
 * {@link #REFRESH}, with each waiting job's place in line indexed. Reads (a queued job's
 * position, the gauges) never ask a gate, so they cost the same whether ten jobs wait or ten
 * thousand, and a slow Temporal never holds them up; a position can be {@link #REFRESH} old. A
 * driver without a gate yet counts nothing; a gate that cannot be asked keeps its last snapshot.
 * Thread-safe.
 */
@Component
public final class GateSnapshots implements InitializingBean, DisposableBean {

    /** How often every gate is asked. */
    public static final Duration REFRESH = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(GateSnapshots.class);

    private final WorkflowClient client;
    private final DriversProperties drivers;
    private final Map<String, Indexed> gates = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hubble-gate-snapshots");
        thread.setDaemon(true);
        return thread;
    });

    GateSnapshots(WorkflowClient client, DriversProperties drivers) {
        this.client = client;
        this.drivers = drivers;
    }

    @Override
    public void afterPropertiesSet() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }

    /** The last snapshot of {@code driver}'s gate; empty before the first answer. */
    public GateSnapshot snapshot(String driver) {
        Indexed gate = gates.get(driver);
        return gate == null ? empty(driver) : gate.snapshot();
    }

    /** The 1-based place of {@code jobId} among the jobs waiting at {@code driver}'s gate, if it waits. */
    public OptionalInt position(String driver, String jobId) {
        Indexed gate = gates.get(driver);
        Integer place = gate == null ? null : gate.positions().get(jobId);
        return place == null ? OptionalInt.empty() : OptionalInt.of(place);
    }

    /** Asks every gate now; the background thread calls it. */
    void refresh() {
        for (String driver : drivers.enabled()) {
            try {
                gates.put(
                        driver,
                        Indexed.of(client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(driver))
                                .snapshot()));
            } catch (WorkflowNotFoundException e) {
                gates.put(driver, Indexed.of(empty(driver)));
            } catch (RuntimeException e) {
                log.debug("Gate of {} could not be asked: {}", driver, e.toString());
            }
        }
    }

    private static GateSnapshot empty(String driver) {
        return GateSnapshot.of(driver, 0, List.of(), List.of());
    }

    private record Indexed(GateSnapshot snapshot, Map<String, Integer> positions) {

        static Indexed of(GateSnapshot snapshot) {
            Map<String, Integer> positions = new HashMap<>();
            List<String> queue = snapshot.queue();
            for (int i = 0; i < queue.size(); i++) {
                positions.putIfAbsent(queue.get(i), i + 1);
            }
            return new Indexed(snapshot, Map.copyOf(positions));
        }
    }
}
