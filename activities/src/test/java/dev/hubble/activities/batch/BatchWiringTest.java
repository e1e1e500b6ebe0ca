package dev.hubble.activities.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class BatchWiringTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BatchAutoConfiguration.class))
            .withUserConfiguration(Infrastructure.class);

    @Test
    void aConfiguredQueueGetsThePythonRunnerAndItsCatalog() {
        contexts.withPropertyValues(
                        "hubble.drivers.python.batch.job-queue=analytics",
                        "hubble.drivers.python.batch.region=eu-west-1",
                        "hubble.drivers.python.jobs.report_card.job-definition=report-card:7",
                        "hubble.drivers.python.jobs.report_card.job-queue=big",
                        "hubble.drivers.python.jobs.report_card.timeout=2h",
                        "hubble.drivers.python.jobs.report_card.vcpus=0.5",
                        "hubble.drivers.python.jobs.report_card.memory=4GB",
                        "hubble.drivers.python.jobs.segments.job-definition=segments")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(BatchRunner.class).driver()).isEqualTo("python");
                    PythonBatchProperties properties = context.getBean(PythonBatchProperties.class);
                    assertThat(properties.maxRunnable()).isEqualTo(Duration.ofMinutes(30));
                    assertThat(properties.jobs()).containsOnlyKeys("report_card", "segments");
                    assertThat(properties.jobs().get("report_card"))
                            .isEqualTo(new PythonBatchProperties.Job(
                                    "report-card:7",
                                    "big",
                                    Duration.ofHours(2),
                                    new BigDecimal("0.5"),
                                    DataSize.ofGigabytes(4)));
                });
    }

    @Test
    void withoutAQueueThereIsNoPythonDriver() {
        contexts.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BatchRunner.class));
    }

    @Test
    void aDisabledPythonDriverHasNoRunner() {
        contexts.withPropertyValues(
                        "hubble.drivers.python.enabled=false",
                        "hubble.drivers.python.batch.job-queue=q",
                        "hubble.drivers.python.batch.region=eu-west-1")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BatchRunner.class));
    }

    @Test
    void aMissingRegionStopsStartupNamingTheProperty() {
        contexts.withPropertyValues("hubble.drivers.python.batch.job-queue=q")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.python.batch.region"));
    }

    @Test
    void aJobWithoutADefinitionStopsStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.python.batch.job-queue=q",
                        "hubble.drivers.python.batch.region=eu-west-1",
                        "hubble.drivers.python.jobs.report.job-queue=other")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.python.jobs.<name>.job-definition"));
    }

    @Test
    void aJobNameThatIsNotAnIdentifierStopsStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.python.batch.job-queue=q",
                        "hubble.drivers.python.batch.region=eu-west-1",
                        "hubble.drivers.python.jobs.report-card.job-definition=report-card")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.python.jobs.report-card: not a Python job name"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Infrastructure {

        @Bean
        JobTokens jobTokens() {
            return new JobTokens(new JobTokenProperties("a-test-secret-of-at-least-32-characters"));
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
