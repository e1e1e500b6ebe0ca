package dev.hubble.activities.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.activities.duckdb.DuckDbProperties;
import dev.hubble.activities.duckdb.DuckDbRunner;
import dev.hubble.activities.events.KafkaStatusEvents;
import dev.hubble.activities.events.StatusEvents;
import dev.hubble.activities.events.StatusEventsProperties;
import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.activities.job.JobActivitiesImpl;
import dev.hubble.activities.localpython.LocalPythonProperties;
import dev.hubble.activities.localpython.LocalPythonRunner;
import dev.hubble.activities.log.JobLogActivitiesImpl;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.state.JobStateActivitiesImpl;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.ResultsProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobLogActivities;
import dev.hubble.core.temporal.JobStateActivities;
import dev.hubble.core.view.JobDocuments;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaConnectionDetails;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The activity implementations (job, state, gate), the runners of the enabled drivers and the
 * status events. The result stores come from the core configuration.
 */
@AutoConfiguration(after = {HubbleCoreAutoConfiguration.class, KafkaAutoConfiguration.class})
@EnableConfigurationProperties(ResultsProperties.class)
public class HubbleActivitiesAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HubbleActivitiesAutoConfiguration.class);

    @Bean
    JobActivities jobActivities(List<JobRunner> runners, ResultStores results, ResultsProperties properties) {
        return new JobActivitiesImpl(runners, results, properties.workDir());
    }

    @Bean
    JobLogActivities jobLogActivities(List<JobRunner> runners) {
        return new JobLogActivitiesImpl(runners);
    }

    @Bean
    JobStateActivities jobStateActivities(JobStore store, StatusEvents events, ObjectProvider<MeterRegistry> meters) {
        return new JobStateActivitiesImpl(store, events, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Reaches the drivers' gates; each gate's capacity is its driver's {@code concurrency}. */
    @Bean
    GateActivities gateActivities(WorkflowClient client, DriversProperties drivers) {
        return GateActivitiesImpl.of(client, drivers);
    }

    /** Status events on Kafka ({@code hubble.events.*}, connection from {@code spring.kafka.*}). */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StatusEventsProperties.class, KafkaProperties.class})
    static class Events {

        @Bean
        @ConditionalOnMissingBean(StatusEvents.class)
        @ConditionalOnProperty(name = "hubble.events.enabled", havingValue = "true", matchIfMissing = true)
        KafkaStatusEvents kafkaStatusEvents(
                StatusEventsProperties properties,
                KafkaProperties kafka,
                ObjectProvider<SslBundles> sslBundles,
                ObjectProvider<KafkaConnectionDetails> connection,
                JobDocuments documents,
                ObjectMapper json) {
            Map<String, Object> client = kafka.buildProducerProperties(sslBundles.getIfAvailable());
            // Boot's service connections (e.g. Testcontainers) name the servers here, not in the properties.
            connection.ifAvailable(details -> client.put(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    String.join(",", details.getProducerBootstrapServers())));
            return new KafkaStatusEvents(client, documents, json, properties);
        }

        @Bean
        @ConditionalOnMissingBean(StatusEvents.class)
        @ConditionalOnProperty(name = "hubble.events.enabled", havingValue = "false")
        StatusEvents noStatusEvents() {
            log.warn("Status events are off (hubble.events.enabled=false): subscribers will not hear of any job");
            return record -> {};
        }
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
                        .description("Jobs executing in this worker's runner now")
                        .tag("driver", DuckDbRunner.DRIVER)
                        .register(registry);
                Gauge.builder("hubble.runner.running.peak", runner, DuckDbRunner::peakRunning)
                        .description("The most jobs this worker's runner executed at once")
                        .tag("driver", DuckDbRunner.DRIVER)
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
