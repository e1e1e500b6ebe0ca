package dev.hubble.core.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach Temporal ({@code hubble.temporal.*}).
 *
 * @param target the frontend's {@code host:port}
 * @param namespace the namespace jobs run in
 * @param uiUrl the Temporal Web UI's base URL, for the {@code historyUrl} of a job; none when
 *     unset
 */
@Validated
@ConfigurationProperties("hubble.temporal")
public record TemporalProperties(
        @DefaultValue("localhost:7233") @NotBlank String target,
        @DefaultValue("default") @NotBlank String namespace,
        @Nullable String uiUrl) {}
