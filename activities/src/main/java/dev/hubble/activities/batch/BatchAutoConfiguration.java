package dev.hubble.activities.batch;

import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.view.PublicUrlProperties;
import java.net.URI;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.BatchClientBuilder;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * The {@code python} driver on AWS Batch, when {@code hubble.drivers.python.batch.job-queue} is
 * set and the driver is not disabled ({@code hubble.drivers.python.enabled=false}). Its Batch and
 * CloudWatch Logs clients use the SDK's default credentials chain, the configured region and
 * endpoints, and the SDK's standard retries (server errors, throttling) with backoff.
 */
@AutoConfiguration(after = HubbleCoreAutoConfiguration.class)
@ConditionalOnProperty(name = "hubble.drivers.python.batch.job-queue")
@EnableConfigurationProperties({PythonBatchProperties.class, PublicUrlProperties.class})
public class BatchAutoConfiguration {

    @Bean
    @ConditionalOnProperty(name = "hubble.drivers.python.enabled", havingValue = "true", matchIfMissing = true)
    BatchRunner batchRunner(
            PythonBatchProperties properties, JobTokens tokens, PublicUrlProperties publicUrl, Clock clock) {
        PythonBatchProperties.Batch settings = properties.batch();
        URI apiUrl = settings.apiUrl() != null ? settings.apiUrl() : publicUrl.orFallback();
        return new BatchRunner(properties, batchClient(settings), logsClient(settings), tokens, apiUrl, clock);
    }

    static BatchClient batchClient(PythonBatchProperties.Batch settings) {
        BatchClientBuilder builder = BatchClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(overrides(settings));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    static CloudWatchLogsClient logsClient(PythonBatchProperties.Batch settings) {
        CloudWatchLogsClientBuilder builder = CloudWatchLogsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(overrides(settings));
        if (settings.logsEndpoint() != null) {
            builder.endpointOverride(settings.logsEndpoint());
        }
        return builder.build();
    }

    private static ClientOverrideConfiguration overrides(PythonBatchProperties.Batch settings) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(settings.requestTimeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .build();
    }
}
