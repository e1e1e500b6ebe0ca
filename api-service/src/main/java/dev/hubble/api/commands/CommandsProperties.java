package dev.hubble.api.commands;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Job commands over Kafka ({@code hubble.commands.*}). The Kafka connection is Spring Boot's
 * {@code spring.kafka.*}.
 *
 * @param enabled whether the API consumes commands; off unless set, so an API without Kafka
 *     starts as before
 * @param topic the topic commands arrive on
 * @param dlqTopic where commands that cannot be carried out go, with the reason
 * @param groupId the consumer group of all API instances
 * @param concurrency consumers in this instance; more than the topic's partitions sit idle
 * @param retryInitial the first wait before a command that failed for a passing reason (Temporal
 *     unreachable) is tried again
 * @param retryMax the longest wait between tries; such a command is tried until it succeeds
 * @param dlqTimeout how long sending a command to the dead-letter topic may take before it counts
 *     as a passing failure, tried again
 */
@Validated
@ConfigurationProperties("hubble.commands")
record CommandsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("hubble.job-commands") @NotBlank String topic,
        @DefaultValue("hubble.job-commands.dlq") @NotBlank String dlqTopic,
        @DefaultValue("hubble-api") @NotBlank String groupId,
        @DefaultValue("1") @Min(1) int concurrency,
        @DefaultValue("1s") Duration retryInitial,
        @DefaultValue("30s") Duration retryMax,
        @DefaultValue("20s") Duration dlqTimeout) {

    CommandsProperties {
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("hubble.commands.retry-initial must be positive and retry-max at least "
                    + "retry-initial, got " + retryInitial + " and " + retryMax);
        }
        if (topic.equals(dlqTopic)) {
            throw new IllegalArgumentException("hubble.commands.dlq-topic must differ from hubble.commands.topic");
        }
    }
}
