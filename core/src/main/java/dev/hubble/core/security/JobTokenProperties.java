package dev.hubble.core.security;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Job tokens ({@code hubble.jobs.*}).
 *
 * @param tokenSecret the secret job tokens are signed with; at least 32 characters. The API,
 *     which checks tokens, and every worker, which hands them to jobs, must share it. Changing it
 *     invalidates the tokens of running jobs.
 * @param tokenMargin how long a job's token stays valid after the job's timeout: room for a
 *     job's last report while it is being stopped, and for clocks that differ a little
 */
@Validated
@ConfigurationProperties("hubble.jobs")
public record JobTokenProperties(
        @NotBlank(message = "set hubble.jobs.token-secret to a secret of at least 32 characters")
        String tokenSecret,

        @DefaultValue("1h") Duration tokenMargin) {

    /** The shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 32;

    @ConstructorBinding
    public JobTokenProperties {
        // Checked here rather than with @Size: a bean-validation error message quotes the
        // rejected value, and a secret, even a bad one, must not end up in the start-up log.
        if (tokenSecret != null && !tokenSecret.isBlank() && tokenSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "hubble.jobs.token-secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (tokenMargin == null || tokenMargin.isNegative()) {
            throw new IllegalArgumentException("hubble.jobs.token-margin must not be negative");
        }
    }

    /** Tokens signed with {@code tokenSecret}, valid one hour past their job's timeout. */
    public JobTokenProperties(String tokenSecret) {
        this(tokenSecret, Duration.ofHours(1));
    }

    @Override
    public String toString() {
        return "JobTokenProperties[tokenSecret=<hidden>, tokenMargin=" + tokenMargin + "]";
    }
}
