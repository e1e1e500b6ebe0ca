package dev.hubble.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.hubble.activities.localpython.LocalPythonRunner;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.store.JobStore;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LocalPythonWiringTest {

    @TempDir
    Path jobs;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HubbleActivitiesAutoConfiguration.class))
            .withUserConfiguration(Infrastructure.class)
            .withPropertyValues("hubble.events.enabled=false");

    @Test
    void enabledDriverGetsARunner() {
        contexts.withPropertyValues(
                        "hubble.drivers.local-python.enabled=true", "hubble.drivers.local-python.jobs-dir=" + jobs)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LocalPythonRunner.class).driver())
                            .isEqualTo("local-python");
                });
    }

    @Test
    void driverIsOffUnlessEnabled() {
        contexts.withPropertyValues("hubble.drivers.local-python.jobs-dir=" + jobs)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LocalPythonRunner.class));
    }

    @Test
    void enabledDriverWithoutAJobsDirectoryStopsStartupNamingTheProperty() {
        contexts.withPropertyValues("hubble.drivers.local-python.enabled=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("set hubble.drivers.local-python.jobs-dir"));
    }

    @Test
    void jobsDirectoryThatDoesNotExistStopsStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.local-python.enabled=true",
                        "hubble.drivers.local-python.jobs-dir=" + jobs.resolve("missing"))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.local-python.jobs-dir is not a directory"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Infrastructure {

        @Bean
        JobStore jobStore() {
            return mock(JobStore.class);
        }

        @Bean
        ResultStores resultStores() {
            return mock(ResultStores.class);
        }

        @Bean
        JobTokens jobTokens() {
            return new JobTokens(new JobTokenProperties("0123456789abcdef0123456789abcdef"));
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        WorkflowClient workflowClient() {
            return mock(WorkflowClient.class);
        }

        @Bean
        DriversProperties driversProperties() {
            return new DriversProperties(Map.of());
        }
    }
}
