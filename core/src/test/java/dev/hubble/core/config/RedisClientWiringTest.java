package dev.hubble.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** How the applications talk to Redis: never waiting for a Redis that is down. */
class RedisClientWiringTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class, RedisAutoConfiguration.class, HubbleCoreAutoConfiguration.class))
            .withPropertyValues(
                    "hubble.jobs.token-secret=abcdefghijklmnopqrstuvwxyz0123456789",
                    "hubble.results.local.dir=" + System.getProperty("java.io.tmpdir") + "/hubble-redis-wiring",
                    "hubble.results.local.signing-key=0123456789abcdef0123456789abcdef");

    @Test
    void commandsAreRefusedAtOnceWhileDisconnectedAndWaitFiveSecondsAtMost() {
        contexts.run(context -> {
            LettuceClientConfiguration client =
                    context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
            assertThat(client.getClientOptions())
                    .map(ClientOptions::getDisconnectedBehavior)
                    .contains(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            assertThat(client.getCommandTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void springsOwnTimeoutSettingWins() {
        contexts.withPropertyValues("spring.data.redis.timeout=2s")
                .run(context -> assertThat(context.getBean(LettuceConnectionFactory.class)
                                .getClientConfiguration()
                                .getCommandTimeout())
                        .isEqualTo(Duration.ofSeconds(2)));
    }
}
