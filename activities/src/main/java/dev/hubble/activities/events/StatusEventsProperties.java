package dev.hubble.activities.events;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Status events ({@code hubble.events.*}). The Kafka connection is Spring Boot's
 * {@code spring.kafka.*} (bootstrap servers, security); acknowledgement and idempotence are not
 * settable, they are what makes an event impossible to lose.
 *
 * @param enabled whether transitions are published at all; without events, subscribers see
 *     nothing, so turn this off only where nobody subscribes
 * @param statusTopic the topic status events go to
 * @param source the CloudEvents {@code source} of every event: names this Hubble installation, so
 *     subscribers of several installations can tell them apart (a URI reference, e.g.
 *     {@code /hubble} or {@code urn:hubble:prod-eu})
 * @param sendTimeout how long one publication may take before the activity fails and is retried.
 *     A send may block for a quarter of it more while the broker's metadata is unknown, so
 *     {@code 1.25 × send-timeout + 1s} must stay below the state activity's start-to-close
 *     timeout (30 s): hence at most 22 s
 */
@Validated
@ConfigurationProperties("hubble.events")
public record StatusEventsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("hubble.job-status") @NotBlank String statusTopic,
        @DefaultValue("/hubble") @NotNull URI source,
        @DefaultValue("20s") Duration sendTimeout) {

    /** The longest {@code send-timeout} that still fits the state activity's 30 s start-to-close timeout. */
    static final Duration MAX_SEND_TIMEOUT = Duration.ofSeconds(22);

    public StatusEventsProperties {
        if (sendTimeout.compareTo(Duration.ofSeconds(1)) < 0 || sendTimeout.compareTo(MAX_SEND_TIMEOUT) > 0) {
            throw new IllegalArgumentException("hubble.events.send-timeout must be between 1s and "
                    + MAX_SEND_TIMEOUT.toSeconds() + "s (the state activity times out after 30s), got " + sendTimeout);
        }
        if (source.toString().isBlank()) {
            throw new IllegalArgumentException("hubble.events.source must not be blank");
        }
    }
}
