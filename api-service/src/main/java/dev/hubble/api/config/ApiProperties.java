package dev.hubble.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The REST API ({@code hubble.api.*}).
 *
 * @param maxQuerySize the largest {@code query} accepted, in UTF-8 bytes
 * @param defaultTimeout the timeout of a job that names none
 * @param maxTimeout the longest timeout a job may ask for
 * @param publicUrl the API's base URL as clients see it (behind a proxy or load balancer), for
 *     the download links the API serves; when unset, the URL of the request being answered
 */
@Validated
@ConfigurationProperties("hubble.api")
public record ApiProperties(
        @DefaultValue("64KB") DataSize maxQuerySize,
        @DefaultValue("6h") Duration defaultTimeout,
        @DefaultValue("7d") Duration maxTimeout,
        @Nullable URI publicUrl) {

    public ApiProperties {
        if (maxQuerySize.toBytes() <= 0) {
            throw new IllegalArgumentException("hubble.api.max-query-size must be positive, got " + maxQuerySize);
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero() || defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("hubble.api.default-timeout must be positive and at most "
                    + "hubble.api.max-timeout, got " + defaultTimeout + " and " + maxTimeout);
        }
        if (publicUrl != null && !isHttpUrl(publicUrl)) {
            throw new IllegalArgumentException("hubble.api.public-url must be an absolute http(s) URL, got " + publicUrl);
        }
    }

    private static boolean isHttpUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }
}
