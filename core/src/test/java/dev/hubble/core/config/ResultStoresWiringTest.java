package dev.hubble.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.s3.S3ResultStore;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which stores an installation creates, and what stops it from starting. */
class ResultStoresWiringTest {

    private static final String KEY = "hubble.results.local.signing-key=0123456789abcdef0123456789abcdef";

    @TempDir
    Path results;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class, RedisAutoConfiguration.class, HubbleCoreAutoConfiguration.class))
            .withPropertyValues(
                    "hubble.drivers.duckdb.enabled=true",
                    "hubble.drivers.spark.enabled=true",
                    "hubble.jobs.token-secret=abcdefghijklmnopqrstuvwxyz0123456789");

    @Test
    void withoutS3NoBucketIsNeeded() {
        contexts.withPropertyValues("hubble.results.local.dir=" + results, KEY).run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(LocalResultStore.class)
                    .doesNotHaveBean(S3ResultStore.class);
            assertThat(context.getBean(ResultStores.class)
                            .locationFor("spark", "j1")
                            .getScheme())
                    .isEqualTo("file");
        });
    }

    @Test
    void aDriverOnS3WithoutABucketStopsStartupNamingTheProperty() {
        contexts.withPropertyValues("hubble.results.local.dir=" + results, KEY, "hubble.drivers.spark.results=s3")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("set hubble.results.s3.bucket"));
    }

    @Test
    void linksLongerThanSevenDaysStopStartup() {
        contexts.withPropertyValues(
                        "hubble.results.store=s3", "hubble.results.s3.bucket=b", "hubble.results.s3.link-ttl=8d")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("hubble.results.s3.link-ttl"));
    }

    @Test
    void eachDriverGetsItsOwnStore() {
        contexts.withPropertyValues(
                        "hubble.results.local.dir=" + results,
                        KEY,
                        "hubble.drivers.spark.results=s3",
                        "hubble.results.s3.bucket=results",
                        "hubble.results.s3.prefix=hubble",
                        "hubble.results.s3.endpoint=http://127.0.0.1:1",
                        "hubble.results.s3.region=us-east-1",
                        "hubble.results.s3.access-key-id=a",
                        "hubble.results.s3.secret-access-key=b")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ResultStores stores = context.getBean(ResultStores.class);
                    assertThat(stores.locationFor("spark", "j1")).isEqualTo(URI.create("s3://results/hubble/jobs/j1/"));
                    assertThat(stores.locationFor("duckdb", "j1"))
                            .isEqualTo(results.toUri().resolve("j1/"));
                });
    }
}
