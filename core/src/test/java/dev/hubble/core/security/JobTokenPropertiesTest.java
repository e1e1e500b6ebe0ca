package dev.hubble.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class JobTokenPropertiesTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    // Nothing here connects: Redis and Temporal clients connect on first use.
    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RedisAutoConfiguration.class, JacksonAutoConfiguration.class, HubbleCoreAutoConfiguration.class))
            .withPropertyValues(
                    "hubble.results.local.dir=target/results",
                    "hubble.results.local.signing-key=abcdefghijklmnopqrstuvwxyz0123456789");

    @Test
    void applicationsGetJobTokensDerivedFromTheConfiguredSecret() {
        contexts.withPropertyValues("hubble.jobs.token-secret=" + SECRET).run(context -> {
            assertThat(context).hasNotFailed();
            String token = context.getBean(JobTokens.class).issue("job-1", Duration.ofHours(1));
            assertThat(new JobTokens(new JobTokenProperties(SECRET)).verify("job-1", token))
                    .isTrue();
        });
    }

    @Test
    void startupFailsNamingThePropertyWhenTheSecretIsMissing() {
        contexts.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("set hubble.jobs.token-secret"));
    }

    @Test
    void startupFailsWithoutQuotingASecretShorterThan32Characters() {
        contexts.withPropertyValues("hubble.jobs.token-secret=too-short").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("hubble.jobs.token-secret must have at least 32 characters");
            // Boot's failure report prints the messages and the bound property of this chain.
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("too-short");
                if (t instanceof BindException bind && bind.getProperty() != null) {
                    assertThat(String.valueOf(bind.getProperty().getValue())).doesNotContain("too-short");
                }
            }
        });
    }
}
