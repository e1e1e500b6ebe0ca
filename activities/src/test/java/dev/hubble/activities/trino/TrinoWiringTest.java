package dev.hubble.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

class TrinoWiringTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TrinoAutoConfiguration.class))
            .withBean(ObjectMapper.class, ObjectMapper::new);

    @Test
    void anEnabledDriverWithACoordinatorGetsTheTrinoRunner() {
        contexts.withPropertyValues(
                        "hubble.drivers.trino.enabled=true",
                        "hubble.drivers.trino.url=https://trino.example:8443",
                        "hubble.drivers.trino.user=metrics",
                        "hubble.drivers.trino.catalog=hive",
                        "hubble.drivers.trino.schema=segments",
                        "hubble.drivers.trino.allowed-catalogs=hive,iceberg",
                        "hubble.drivers.trino.session-properties.query_max_run_time=10m",
                        "hubble.drivers.trino.max-result-bytes=2GB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TrinoRunner.class).driver()).isEqualTo("trino");
                    TrinoProperties properties = context.getBean(TrinoProperties.class);
                    assertThat(properties.allowedCatalogs()).containsExactly("hive", "iceberg");
                    assertThat(properties.sessionProperties()).containsEntry("query_max_run_time", "10m");
                    assertThat(properties.maxResultBytes()).isEqualTo(DataSize.ofGigabytes(2));
                    assertThat(properties.headerPrefix()).isEqualTo("X-Trino-");
                });
    }

    @Test
    void withoutEnabledThereIsNoTrinoDriver() {
        contexts.withPropertyValues("hubble.drivers.trino.url=http://127.0.0.1:8080")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TrinoRunner.class));
    }

    @Test
    void aMissingUrlStopsStartupNamingTheProperty() {
        contexts.withPropertyValues("hubble.drivers.trino.enabled=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.trino.url"));
    }

    @Test
    void aDefaultCatalogOutsideTheAllowListStopsStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.trino.enabled=true",
                        "hubble.drivers.trino.url=http://127.0.0.1:8080",
                        "hubble.drivers.trino.catalog=system",
                        "hubble.drivers.trino.allowed-catalogs=tpch")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.drivers.trino.allowed-catalogs"));
    }

    @Test
    void thePasswordAndTheTokenAreNotShownByTheProperties() {
        contexts.withPropertyValues(
                        "hubble.drivers.trino.enabled=true",
                        "hubble.drivers.trino.url=https://trino.example:8443",
                        "hubble.drivers.trino.password=s3cret-pa55")
                .run(context -> assertThat(
                                context.getBean(TrinoProperties.class).toString())
                        .doesNotContain("s3cret-pa55"));
        contexts.withPropertyValues(
                        "hubble.drivers.trino.enabled=true",
                        "hubble.drivers.trino.url=https://trino.example:8443",
                        "hubble.drivers.trino.jwt=eyJhbGciOi.secret.part")
                .run(context -> assertThat(
                                context.getBean(TrinoProperties.class).toString())
                        .doesNotContain("secret.part"));
    }

    @Test
    void aPasswordAndATokenTogetherStopStartup() {
        contexts.withPropertyValues(
                        "hubble.drivers.trino.enabled=true",
                        "hubble.drivers.trino.url=https://trino.example:8443",
                        "hubble.drivers.trino.password=p",
                        "hubble.drivers.trino.jwt=t")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("not both"));
    }
}
