package dev.hubble.activities.config;

import dev.hubble.activities.duckdb.DuckDbProperties;
import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.activities.duckdb.DuckDbRunner;
import dev.hubble.activities.job.JobActivitiesImpl;
import dev.hubble.activities.localpython.LocalPythonProperties;
import dev.hubble.activities.localpython.LocalPythonRunner;
import dev.hubble.activities.results.LocalResultStore;
import dev.hubble.activities.results.ResultStore;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.state.JobStateActivitiesImpl;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.results.LocalResultsProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobStateActivities;
import io.temporal.client.WorkflowClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The activity implementations (job, state, gate), the runners of the enabled drivers and the result store. */
@AutoConfiguration(after = HubbleCoreAutoConfiguration.class)
public class HubbleActivitiesAutoConfiguration {

    @Bean
    JobActivities jobActivities(List<JobRunner> runners, ResultStore results) {
        return new JobActivitiesImpl(runners, results);
    }

    @Bean
    JobStateActivities jobStateActivities(JobStore store) {
        return new JobStateActivitiesImpl(store);
    }

    /** Reaches the drivers' gates; each gate's capacity is its driver's {@code concurrency}. */
    @Bean
    GateActivities gateActivities(WorkflowClient client, DriversProperties drivers) {
        return GateActivitiesImpl.of(client, drivers);
    }

    @Bean
    @ConditionalOnProperty(name = "hubble.results.store", havingValue = "local", matchIfMissing = true)
    ResultStore localResultStore(LocalResultsProperties properties) {
        return new LocalResultStore(properties.dir());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hubble.drivers.duckdb.enabled", havingValue = "true")
    @EnableConfigurationProperties(DuckDbProperties.class)
    static class DuckDb {

        @Bean
        DuckDbRunner duckDbRunner(DuckDbProperties properties, Clock clock, ObjectProvider<MeterRegistry> meters) {
            DuckDbRunner runner = new DuckDbRunner(properties, clock);
            meters.ifAvailable(registry -> {
                Gauge.builder("hubble.runner.running", runner, DuckDbRunner::running)
                        .description("Jobs executing in this worker's runner now").tag("driver", DuckDbRunner.DRIVER)
                        .register(registry);
                Gauge.builder("hubble.runner.running.peak", runner, DuckDbRunner::peakRunning)
                        .description("The most jobs this worker's runner executed at once").tag("driver", DuckDbRunner.DRIVER)
                        .register(registry);
            });
            return runner;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hubble.drivers.local-python.enabled", havingValue = "true")
    @EnableConfigurationProperties(LocalPythonProperties.class)
    static class LocalPython {

        @Bean
        LocalPythonRunner localPythonRunner(LocalPythonProperties properties, JobTokens tokens, Clock clock) {
            return new LocalPythonRunner(properties, tokens, clock);
        }
    }
}
