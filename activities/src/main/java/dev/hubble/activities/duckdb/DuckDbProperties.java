package dev.hubble.activities.duckdb;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded DuckDB engine ({@code hubble.drivers.duckdb.*}, beside the settings every driver
 * has).
 *
 * <p>By default a query can touch nothing outside the database but its own output directory: no
 * local files, no network, no extensions. {@code allowed-directories} opens chosen directories
 * to reading; {@code external-access: true} lifts the restriction altogether, for trusted users
 * only.
 *
 * @param threads threads one query may use
 * @param memoryLimit memory one query may use before it spills or fails
 * @param parallelQueries queries this worker runs at once; more wait in line
 * @param externalAccess whether queries may read any local file and reach the network
 * @param allowedDirectories directories queries may read although external access is off
 * @param keepFinished how long a finished query's outcome is kept for polls that come late
 */
@Validated
@ConfigurationProperties("hubble.drivers.duckdb")
public record DuckDbProperties(
        @DefaultValue("2") @Min(1) int threads,
        @DefaultValue("1GB") DataSize memoryLimit,
        @DefaultValue("4") @Min(1) int parallelQueries,
        @DefaultValue("false") boolean externalAccess,
        @DefaultValue List<Path> allowedDirectories,
        @DefaultValue("1h") Duration keepFinished) {}
