package dev.hubble.worker.config;

import dev.hubble.activities.runner.JobRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether each engine this worker runs jobs on answers: one health indicator per driver it serves,
 * under {@code /actuator/health/engines/<driver>}, each asking its runner ({@link
 * JobRunner#checkEngine}). An engine that does not answer is {@code DOWN} with the reason; the
 * worker itself may still be healthy, so the group is not part of the liveness probe.
 */
final class EngineHealth {

    private EngineHealth() {}

    /** The indicators of {@code runners}, by driver name, in the order given. */
    static CompositeHealthContributor of(List<JobRunner> runners) {
        Map<String, HealthContributor> byDriver = new LinkedHashMap<>();
        for (JobRunner runner : runners) {
            byDriver.put(runner.driver(), indicator(runner));
        }
        return CompositeHealthContributor.fromMap(byDriver);
    }

    static HealthIndicator indicator(JobRunner runner) {
        return new AbstractHealthIndicator("The engine of driver " + runner.driver() + " does not answer") {
            @Override
            protected void doHealthCheck(Health.Builder health) throws Exception {
                health.up().withDetails(runner.checkEngine());
            }
        };
    }
}
