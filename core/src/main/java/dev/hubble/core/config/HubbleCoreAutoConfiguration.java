package dev.hubble.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.results.ResultStore;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.ResultsProperties;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.local.LocalResultsProperties;
import dev.hubble.core.results.s3.S3ResultStore;
import dev.hubble.core.results.s3.S3ResultsProperties;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.store.RedisJobStore;
import dev.hubble.core.store.StoreProperties;
import dev.hubble.core.view.JobDocuments;
import dev.hubble.core.view.PublicUrlProperties;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What both Hubble applications share: the Temporal client, the job store, result links, the job
 * document (the API answers with it, the workers publish it in status events), the result stores
 * (the API places new jobs and signs links, the workers upload and list) and job tokens
 * (the API checks them, the workers hand them to jobs, so both need
 * {@code hubble.jobs.token-secret}).
 */
@AutoConfiguration(
        after = {RedisAutoConfiguration.class, JacksonAutoConfiguration.class},
        // The registries are defined before the Temporal client, which reports to them.
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration"
        })
@EnableConfigurationProperties({
    TemporalProperties.class,
    DriversProperties.class,
    StoreProperties.class,
    JobTokenProperties.class,
    PublicUrlProperties.class,
    ResultsProperties.class
})
public class HubbleCoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    WorkflowServiceStubs workflowServiceStubs(
            TemporalProperties temporal, ObjectProvider<TemporalMetricsScope> metrics) {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target());
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
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(temporal.namespace())
                        .build());
    }

    @Bean
    @ConditionalOnMissingBean
    JobStore jobStore(StringRedisTemplate redis, ObjectMapper json, StoreProperties properties) {
        return new RedisJobStore(redis, json, properties);
    }

    /**
     * Redis commands fail at once while the connection is down, instead of waiting in Lettuce's
     * queue until it reconnects or the command timeout passes (a minute by default): a status
     * read answers from the workflow at once, a submission is accepted without waiting, and a
     * worker's store is retried by Temporal, so an outage of Redis slows nothing down.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer hubbleRedisFailsFastWhileDown() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /**
     * A command sent just before Redis went away waits for its answer at most {@link
     * StoreProperties#commandTimeout()} (unless {@code spring.data.redis.timeout} says otherwise):
     * Hubble's commands are small and quick, and a read waiting longer than that had better ask
     * the workflow.
     */
    @Bean
    LettuceClientConfigurationBuilderCustomizer hubbleRedisCommandTimeout(
            ObjectProvider<RedisProperties> redis, StoreProperties store) {
        return builder -> {
            RedisProperties properties = redis.getIfAvailable();
            if (properties == null || properties.getTimeout() == null) {
                builder.commandTimeout(store.commandTimeout());
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    JobTokens jobTokens(JobTokenProperties properties, Clock clock) {
        return new JobTokens(properties, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    JobDocuments jobDocuments(ResultStores stores, TemporalProperties temporal, PublicUrlProperties publicUrl) {
        return new JobDocuments(stores, temporal, publicUrl);
    }

    /** The stores in use, and which one each driver's new jobs go to. */
    @Bean
    @ConditionalOnMissingBean
    ResultStores resultStores(List<ResultStore> stores, ResultsProperties results, DriversProperties drivers) {
        Map<String, String> byDriver = drivers.drivers().entrySet().stream()
                .filter(e -> e.getValue().enabled() && e.getValue().results() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().results()));
        return new ResultStores(stores, results.store(), byDriver);
    }

    /**
     * The local result store, when some driver uses it or {@code hubble.results.local.dir} is set
     * (so that the links of jobs that wrote there keep working).
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(ResultStoreConditions.LocalInUse.class)
    @EnableConfigurationProperties(LocalResultsProperties.class)
    static class LocalResults {

        @Bean
        LocalResultLinks localResultLinks(LocalResultsProperties properties, Clock clock) {
            return new LocalResultLinks(properties, clock);
        }

        @Bean
        LocalResultStore localResultStore(LocalResultsProperties properties, LocalResultLinks links) {
            return new LocalResultStore(properties.dir(), links);
        }
    }

    /** The S3 result store, when some driver uses it; {@code hubble.results.s3.bucket} is then required. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(ResultStoreConditions.S3InUse.class)
    @EnableConfigurationProperties(S3ResultsProperties.class)
    static class S3Results {

        @Bean(destroyMethod = "close")
        S3ResultStore s3ResultStore(S3ResultsProperties properties) {
            return new S3ResultStore(properties);
        }
    }
}
