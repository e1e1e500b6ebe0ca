package dev.hubble.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.results.LocalResultLinks;
import dev.hubble.core.results.LocalResultsProperties;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.results.ResultLinks;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.store.RedisJobStore;
import dev.hubble.core.store.StoreProperties;
import dev.hubble.core.view.JobDocuments;
import dev.hubble.core.view.PublicUrlProperties;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What both Hubble applications share: the Temporal client, the job store, result links, the job
 * document (the API answers with it, the workers publish it in status events) and job tokens
 * (the API checks them, the workers hand them to jobs, so both need
 * {@code hubble.jobs.token-secret}).
 */
@AutoConfiguration(after = {RedisAutoConfiguration.class, JacksonAutoConfiguration.class},
        // The registries are defined before the Temporal client, which reports to them.
        afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@EnableConfigurationProperties({TemporalProperties.class, DriversProperties.class, StoreProperties.class,
        JobTokenProperties.class, PublicUrlProperties.class})
public class HubbleCoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    WorkflowServiceStubs workflowServiceStubs(TemporalProperties temporal, ObjectProvider<TemporalMetricsScope> metrics) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target());
        // The client's and the workers' metrics (requests, schedule-to-start latency, workflow task
        // failures, sticky cache, pollers) all come from the stubs' scope.
        metrics.ifAvailable(scope -> options.setMetricsScope(scope.scope()));
        // Connects lazily: the application starts even when Temporal is not up yet.
        return WorkflowServiceStubs.newServiceStubs(options.build());
    }

    /**
     * The Temporal SDK's metrics in the application's Micrometer registry, when it has one
     * (Prometheus names: {@code temporal_*}).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean(MeterRegistry.class)
    TemporalMetricsScope temporalMetricsScope(MeterRegistry registry) {
        return TemporalMetricsScope.reportingTo(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalProperties temporal) {
        return WorkflowClient.newInstance(stubs,
                WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    }

    @Bean
    @ConditionalOnMissingBean
    JobStore jobStore(StringRedisTemplate redis, ObjectMapper json, StoreProperties properties) {
        return new RedisJobStore(redis, json, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    JobTokens jobTokens(JobTokenProperties properties) {
        return new JobTokens(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    JobDocuments jobDocuments(ResultLinks links, TemporalProperties temporal, PublicUrlProperties publicUrl) {
        return new JobDocuments(links, temporal, publicUrl);
    }

    /** The local result store's links, unless another store is chosen with {@code hubble.results.store}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hubble.results.store", havingValue = "local", matchIfMissing = true)
    @EnableConfigurationProperties(LocalResultsProperties.class)
    static class LocalResults {

        @Bean
        LocalResultLinks localResultLinks(LocalResultsProperties properties, Clock clock) {
            return new LocalResultLinks(properties, clock);
        }
    }
}
