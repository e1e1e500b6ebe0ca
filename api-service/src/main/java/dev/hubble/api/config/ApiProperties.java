package dev.hubble.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The REST API ({@code hubble.api.*}).
 *
 * <p>{@code hubble.api.public-url} is read by core ({@link dev.hubble.core.view.PublicUrlProperties}),
 * because the workers sign links with it too.
 *
 * @param maxQuerySize the largest {@code query} accepted, in UTF-8 bytes
 * @param defaultTimeout the timeout of a job that names none
 * @param maxTimeout the longest timeout a job may ask for
 */
@Validated
@ConfigurationProperties("hubble.api")
public record ApiProperties(
        @DefaultValue("64KB") DataSize maxQuerySize,
        @DefaultValue("6h") Duration defaultTimeout,
        @DefaultValue("7d") Duration maxTimeout) {

    public ApiProperties {
        if (maxQuerySize.toBytes() <= 0) {
            throw new IllegalArgumentException("hubble.api.max-query-size must be positive, got " + maxQuerySize);
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero() || defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("hubble.api.default-timeout must be positive and at most "
                    + "hubble.api.max-timeout, got " + defaultTimeout + " and " + maxTimeout);
        }
    }
}
