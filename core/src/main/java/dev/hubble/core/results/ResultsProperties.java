package dev.hubble.core.results;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Result storage as a whole ({@code hubble.results.*}); each store has its own properties beside
 * these ({@code hubble.results.local.*}, {@code hubble.results.s3.*}).
 *
 * @param store the store of every driver that names none in {@code hubble.drivers.<d>.results}:
 *     {@code local} (the default) or {@code s3}
 * @param workDir where local engines (duckdb, local-python) write the files of a job whose store
 *     is remote, until they are uploaded; a folder under the system's temporary directory when
 *     unset
 */
@Validated
@ConfigurationProperties("hubble.results")
public record ResultsProperties(
        @DefaultValue(ResultStores.LOCAL) String store,
        @Nullable Path workDir) {

    public ResultsProperties {
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "hubble-results-work");
        }
    }
}
