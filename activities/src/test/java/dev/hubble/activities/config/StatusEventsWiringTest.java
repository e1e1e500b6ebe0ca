package dev.hubble.activities.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.activities.events.KafkaStatusEvents;
import dev.hubble.activities.events.StatusEvents;
import dev.hubble.core.config.HubbleCoreAutoConfiguration;
import dev.hubble.core.temporal.JobStateActivities;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The state activity publishes through Kafka unless events are turned off; bad settings stop the start. */
class StatusEventsWiringTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class,
                    RedisAutoConfiguration.class,
                    KafkaAutoConfiguration.class,
                    HubbleCoreAutoConfiguration.class,
                    HubbleActivitiesAutoConfiguration.class))
            .withPropertyValues(
                    "hubble.results.local.dir=${java.io.tmpdir}/hubble-wiring-test",
                    "hubble.results.local.signing-key=wiring-test-signing-key-of-32-characters",
                    "hubble.jobs.token-secret=wiring-test-token-secret-of-32-characters");

    @Test
    void statusEventsGoToKafkaByDefault() {
        context.run(app -> {
            assertThat(app).hasNotFailed();
            assertThat(app).hasSingleBean(JobStateActivities.class);
            assertThat(app).getBean(StatusEvents.class).isInstanceOf(KafkaStatusEvents.class);
        });
    }

    @Test
    void statusEventsCanBeTurnedOff() {
        context.withPropertyValues("hubble.events.enabled=false").run(app -> {
            assertThat(app).hasNotFailed();
            assertThat(app).hasSingleBean(StatusEvents.class);
            assertThat(app).doesNotHaveBean(KafkaStatusEvents.class);
        });
    }

    @Test
    void sendTimeoutLongerThanTheActivityAllowsStopsTheStart() {
        context.withPropertyValues("hubble.events.send-timeout=40s")
                .run(app ->
                        assertThat(app).getFailure().rootCause().hasMessageContaining("hubble.events.send-timeout"));
    }
}
