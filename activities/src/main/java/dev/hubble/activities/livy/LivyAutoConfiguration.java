package dev.hubble.activities.livy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import dev.hubble.core.results.s3.S3ResultStore;
import dev.hubble.core.security.JobTokens;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code spark} driver, when {@code hubble.drivers.spark.livy.url} is set and the driver is
 * not disabled ({@code hubble.drivers.spark.enabled=false}). Jobs in {@code file:} locations are
 * staged directly, jobs in {@code s3:} locations through the S3 result store when this installation
 * has one; another {@link LocationFiles} bean adds a scheme.
 */
@AutoConfiguration(after = {HubbleCoreAutoConfiguration.class, JacksonAutoConfiguration.class})
@ConditionalOnProperty(name = "hubble.drivers.spark.livy.url")
@EnableConfigurationProperties(LivyProperties.class)
public class LivyAutoConfiguration {

    @Bean
    LocalLocationFiles localLocationFiles() {
        return new LocalLocationFiles();
    }

    @Bean
    @ConditionalOnBean(S3ResultStore.class)
    S3LocationFiles s3LocationFiles(S3ResultStore store) {
        return new S3LocationFiles(store);
    }

    @Bean
    @ConditionalOnProperty(name = "hubble.drivers.spark.enabled", havingValue = "true", matchIfMissing = true)
    LivyRunner livyRunner(
            LivyProperties properties,
            List<LocationFiles> files,
            JobTokens tokens,
            ObjectMapper json,
            ObjectProvider<Clock> clock) {
        return new LivyRunner(properties, files, tokens, json, clock.getIfAvailable(Clock::systemUTC));
    }
}
