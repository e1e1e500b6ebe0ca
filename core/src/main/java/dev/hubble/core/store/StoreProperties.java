package dev.hubble.core.store;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis job store ({@code hubble.store.*}). The connection itself is Spring Boot's
 * {@code spring.data.redis.*}.
 *
 * @param keyPrefix prefix of every key Hubble writes, so several installations can share a Redis
 * @param retention how long a finished job's record is kept
 * @param commandTimeout how long a Redis command waits for its answer, unless
 *     {@code spring.data.redis.timeout} is set
 */
@Validated
@ConfigurationProperties("hubble.store")
public record StoreProperties(
        @DefaultValue("hubble") @NotBlank String keyPrefix,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("5s") Duration commandTimeout) {}
