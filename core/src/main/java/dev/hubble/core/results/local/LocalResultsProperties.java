package dev.hubble.core.results.local;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local result store ({@code hubble.results.local.*}): result files in a directory, served
 * by the API through HMAC-signed links. The workers write the directory; the API reads it, so
 * both must see the same one.
 *
 * @param dir the directory that holds one sub-directory of result files per job
 * @param signingKey the secret that signs download links; at least 32 characters; every API
 *     instance must share it
 * @param linkTtl how long a download link stays valid
 */
@Validated
@ConfigurationProperties("hubble.results.local")
public record LocalResultsProperties(
        Path dir,

        @NotBlank(message = "set hubble.results.local.signing-key to a secret of at least 32 characters")
        @Size(min = 32, message = "hubble.results.local.signing-key must have at least 32 characters")
        String signingKey,

        @DefaultValue("1h") Duration linkTtl) {

    public LocalResultsProperties {
        if (dir == null) {
            throw new IllegalArgumentException("set hubble.results.local.dir to the directory for result files");
        }
    }

    @Override
    public String toString() {
        return "LocalResultsProperties[dir=" + dir + ", linkTtl=" + linkTtl + "]";
    }
}
