package dev.hubble.core.job;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.lang.Nullable;

/**
 * What a caller asked to run: a validated job request. Immutable; the API builds it from a
 * request body after validation, so the checks here only guard against programming errors.
 *
 * @param query SQL text, or the name of a Python job, depending on the driver
 * @param driver the engine that runs the job, e.g. {@code duckdb}
 * @param format the result file format
 * @param source the service or user that submitted the job
 * @param sourceId the caller's own id for the object this job belongs to
 * @param sourceKind the kind of the caller's object
 * @param sourceVersion the version of the caller's object
 * @param priority higher runs first among waiting jobs of the same driver
 * @param timeout how long the job may take, from submission, before it is killed
 * @param parameters named string parameters handed to the job
 * @param parentJobId the job that submitted this one, when a job submits children
 * @param resultLocation where the job writes its result files, a URI prefix ending in {@code /}
 *     ({@code s3://bucket/prefix/jobs/<id>/} or {@code file:///dir/<id>/}); chosen by Hubble when
 *     the job is accepted, never by the caller. Null in records written before locations
 *     existed: those jobs wrote to the local store ({@code ResultStores#locationOf}).
 */
public record JobSpec(
        String query,
        String driver,
        OutputFormat format,
        String source,
        @Nullable String sourceId,
        @Nullable String sourceKind,
        @Nullable String sourceVersion,
        int priority,
        Duration timeout,
        Map<String, String> parameters,
        @Nullable String parentJobId,
        @Nullable URI resultLocation) {

    /** The lowest priority a job may have. */
    public static final int MIN_PRIORITY = 0;
    /** The highest priority a job may have. */
    public static final int MAX_PRIORITY = 9;
    /** The priority of a job that names none. */
    public static final int DEFAULT_PRIORITY = 5;
    /** What a parameter name looks like: an identifier, so it can name an environment variable. */
    public static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public JobSpec {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timeout, "timeout");
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        if (resultLocation != null
                && (resultLocation.getScheme() == null
                        || !resultLocation.getPath().endsWith("/"))) {
            throw new IllegalArgumentException("a result location is an absolute URI ending in /: " + resultLocation);
        }
    }

    /** A spec without a result location yet: what a request asks for, before Hubble places it. */
    public JobSpec(
            String query,
            String driver,
            OutputFormat format,
            String source,
            @Nullable String sourceId,
            @Nullable String sourceKind,
            @Nullable String sourceVersion,
            int priority,
            Duration timeout,
            Map<String, String> parameters,
            @Nullable String parentJobId) {
        this(
                query,
                driver,
                format,
                source,
                sourceId,
                sourceKind,
                sourceVersion,
                priority,
                timeout,
                parameters,
                parentJobId,
                null);
    }

    /** This spec with its result location. */
    public JobSpec withResultLocation(URI location) {
        return new JobSpec(
                query,
                driver,
                format,
                source,
                sourceId,
                sourceKind,
                sourceVersion,
                priority,
                timeout,
                parameters,
                parentJobId,
                Objects.requireNonNull(location, "location"));
    }
}
