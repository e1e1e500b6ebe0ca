package dev.hubble.core.security;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Job tokens ({@code hubble.jobs.*}).
 *
 * @param tokenSecret the secret job tokens are derived from; at least 32 characters. The API,
 *     which checks tokens, and every worker, which hands them to jobs, must share it. Changing it
 *     invalidates the tokens of running jobs.
 */
@Validated
@ConfigurationProperties("hubble.jobs")
public record JobTokenProperties(
        @NotBlank(message = "set hubble.jobs.token-secret to a secret of at least 32 characters")
        String tokenSecret) {

    /** The shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 32;

    public JobTokenProperties {
        // Checked here rather than with @Size: a bean-validation error message quotes the
        // rejected value, and a secret, even a bad one, must not end up in the start-up log.
        if (tokenSecret != null && !tokenSecret.isBlank() && tokenSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "hubble.jobs.token-secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return "JobTokenProperties[tokenSecret=<hidden>]";
    }
}
