package dev.hubble.worker.config;

import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobStateActivities;
import io.temporal.client.WorkflowClient;
import java.util.List;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker pools of this process. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

    @Bean
    WorkerPools workerPools(
            WorkflowClient client,
            DriversProperties drivers,
            WorkerProperties properties,
            JobActivities jobActivities,
            JobStateActivities stateActivities,
            GateActivities gateActivities,
            JobLogActivities logActivities,
            List<JobRunner> runners) {
        return new WorkerPools(
                client, drivers, properties, jobActivities, stateActivities, gateActivities, logActivities, runners);
    }

    /** {@code /actuator/health/engines}: whether each driver's engine answers. */
    @Bean
    CompositeHealthContributor enginesHealthContributor(List<JobRunner> runners) {
        return EngineHealth.of(runners);
    }
}
