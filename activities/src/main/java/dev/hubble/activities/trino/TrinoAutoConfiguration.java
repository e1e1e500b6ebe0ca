package dev.hubble.activities.trino;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code trino} driver, when {@code hubble.drivers.trino.enabled=true}; it then needs
 * {@code hubble.drivers.trino.url}, and start-up fails naming it when it is missing.
 */
@AutoConfiguration(after = {HubbleCoreAutoConfiguration.class, JacksonAutoConfiguration.class})
@ConditionalOnProperty(name = "hubble.drivers.trino.enabled", havingValue = "true")
@EnableConfigurationProperties(TrinoProperties.class)
public class TrinoAutoConfiguration {

    @Bean
    TrinoRunner trinoRunner(
            TrinoProperties properties,
            ObjectMapper json,
            ObjectProvider<Clock> clock,
            ObjectProvider<MeterRegistry> meters) {
        TrinoRunner runner = new TrinoRunner(properties, json, clock.getIfAvailable(Clock::systemUTC));
        meters.ifAvailable(registry -> Gauge.builder("hubble.runner.running", runner, TrinoRunner::running)
                .description("Jobs executing in this worker's runner now")
                .tag("driver", TrinoRunner.DRIVER)
                .register(registry));
        return runner;
    }
}
