package dev.hubble.activities.livy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.results.s3.S3ResultStore;
import dev.hubble.core.results.s3.S3ResultsProperties;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class LivyWiringTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LivyAutoConfiguration.class))
            .withUserConfiguration(Infrastructure.class);

    @Test
    void configuredLivyGetsTheSparkRunner() {
        contexts.withPropertyValues(
                        "hubble.drivers.spark.livy.url=https://livy.example:8998",
                        "hubble.drivers.spark.livy.jar=s3://jars/hubble-spark-job.jar",
                        "hubble.drivers.spark.livy.conf.spark.executor.instances=4",
                        "hubble.drivers.spark.livy.queue=analytics")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LivyRunner.class).driver()).isEqualTo("spark");
                    LivyProperties properties = context.getBean(LivyProperties.class);
                    assertThat(properties.conf()).containsEntry("spark.executor.instances", "4");
                    assertThat(properties.queue()).isEqualTo("analytics");
                });
    }

    @Test
    void anInstallationWithAnS3StoreStagesJobsInS3Locations() {
        contexts.withBean(
                        S3ResultStore.class,
                        () -> new S3ResultStore(new S3ResultsProperties(
                                "results",
                                "",
                                "us-east-1",
                                null,
                                false,
                                Duration.ofHours(1),
                                DataSize.ofMegabytes(16),
                                null,
                                null,
                                null)))
                .withPropertyValues(
                        "hubble.drivers.spark.livy.url=http://127.0.0.1:8998",
                        "hubble.drivers.spark.livy.jar=s3://jars/hubble-spark-job.jar")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(LocationFiles.class).values())
                            .anySatisfy(files -> assertThat(files.supports(URI.create("s3://results/jobs/1/")))
                                    .isTrue())
                            .anySatisfy(files -> assertThat(files.supports(URI.create("file:///tmp/jobs/1/")))
                                    .isTrue());
                });
    }

    @Test
    void withoutAnS3StoreOnlyFileLocationsAreStaged() {
        contexts.withPropertyValues(
                        "hubble.drivers.spark.livy.url=http://127.0.0.1:8998",
                        "hubble.drivers.spark.livy.jar=file:///opt/hubble-spark-job.jar")
                .run(context -> assertThat(context).doesNotHaveBean(S3LocationFiles.class));
    }

    @Test
    void withoutALivyUrlThereIsNoSparkDriver() {
        contexts.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LivyRunner.class));
    }

    @Test
    void aDisabledSparkDriverHasNoRunner() {
        contexts.withPropertyValues(
                        "hubble.drivers.spark.enabled=false",
                        "hubble.drivers.spark.livy.url=http://127.0.0.1:8998",
                        "hubble.drivers.spark.livy.jar=file:///opt/hubble-spark-job.jar")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LivyRunner.class));
    }

    @Test
    void aMissingJarStopsStartupNamingTheProperty() {
        contexts.withPropertyValues("hubble.drivers.spark.livy.url=http://127.0.0.1:8998")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.spark.livy.jar"));
    }

    @Test
    void aUserWithoutAPasswordStopsStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.spark.livy.url=http://127.0.0.1:8998",
                        "hubble.drivers.spark.livy.jar=file:///opt/hubble-spark-job.jar",
                        "hubble.drivers.spark.livy.username=hubble")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.spark.livy.password"));
    }

    @Test
    void thePasswordIsNotShownByTheProperties() {
        contexts.withPropertyValues(
                        "hubble.drivers.spark.livy.url=http://127.0.0.1:8998",
                        "hubble.drivers.spark.livy.jar=file:///opt/hubble-spark-job.jar",
                        "hubble.drivers.spark.livy.username=hubble",
                        "hubble.drivers.spark.livy.password=s3cret-pa55")
                .run(context -> assertThat(context.getBean(LivyProperties.class).toString())
                        .doesNotContain("s3cret-pa55"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Infrastructure {

        @Bean
        JobTokens jobTokens() {
            return new JobTokens(new JobTokenProperties("a-test-secret-of-at-least-32-characters"));
        }

        @Bean
        ObjectMapper objectMapper() {
            return new ObjectMapper();
        }
    }
}
