package dev.hubble.activities.trino;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code trino} driver's coordinator ({@code hubble.drivers.trino.*}, beside the settings
 * every driver has). The driver is on with {@code hubble.drivers.trino.enabled=true}; then
 * {@code url} is required.
 *
 * <p>A job chooses its catalog and schema with the parameters {@code catalog} and {@code schema};
 * without them it gets {@code catalog} and {@code schema} from here. When {@code
 * allowed-catalogs} (or {@code allowed-schemas}) is not empty, a job may choose only among those,
 * and the defaults must be among them too. That governs the session's defaults, which is what
 * unqualified table names resolve against; names a query qualifies itself are Trino's access
 * control's to refuse (the {@code user} should be one whose rights are the driver's).
 *
 * <p>TLS: an {@code https://} URL is verified against the JVM's trust store
 * ({@code javax.net.ssl.trustStore}). Credentials ({@code password}, {@code jwt}) are never
 * logged nor shown by the API.
 *
 * @param url the coordinator's base URL, {@code http://} or {@code https://}; required
 * @param user the user the queries run as ({@code X-Trino-User})
 * @param password with {@code user}, HTTP basic authentication (Trino accepts it over https only)
 * @param jwt a JSON Web Token sent as a bearer token, instead of a password
 * @param catalog the catalog of a job that names none
 * @param schema the schema of a job that names none
 * @param allowedCatalogs the catalogs a job may choose; empty: any
 * @param allowedSchemas the schemas a job may choose; empty: any
 * @param sessionProperties Trino session properties of every query, e.g. {@code query_max_run_time}
 * @param source the {@code source} of every query, as Trino's UI and {@code /v1/query} show it
 * @param headerPrefix the protocol's header prefix: {@code X-Trino-}, or {@code X-Presto-} for
 *     PrestoDB, which speaks the same protocol
 * @param connectTimeout connecting to the coordinator
 * @param requestTimeout one request to the coordinator
 * @param retryFor how long a request answered 502, 503 or 504, or not answered at all, is tried
 *     again (with a growing pause, as Trino's own client does) before the job fails
 * @param cancelTimeout how long a cancel waits for Trino to confirm the query is gone
 * @param maxResultBytes the most bytes of result rows (counted as CSV) a job may write; a job
 *     whose result grows beyond it fails, its query cancelled and its files deleted
 * @param keepFinished how long a finished query's outcome is kept in memory for polls that come
 *     late (it is also kept in the job's directory)
 */
@Validated
@ConfigurationProperties("hubble.drivers.trino")
public record TrinoProperties(
        URI url,
        @DefaultValue("hubble") @NotBlank String user,
        @Nullable String password,
        @Nullable String jwt,
        @Nullable String catalog,
        @Nullable String schema,
        @DefaultValue List<String> allowedCatalogs,
        @DefaultValue List<String> allowedSchemas,
        @DefaultValue Map<String, String> sessionProperties,
        @DefaultValue("hubble") @NotBlank String source,
        @DefaultValue("X-Trino-") @NotBlank String headerPrefix,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("2m") Duration retryFor,
        @DefaultValue("30s") Duration cancelTimeout,
        @DefaultValue("1GB") DataSize maxResultBytes,
        @DefaultValue("1h") Duration keepFinished) {

    public TrinoProperties {
        if (url == null) {
            throw new IllegalArgumentException(
                    "set hubble.drivers.trino.url to the Trino coordinator's base URL, e.g. http://trino:8080");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("hubble.drivers.trino.url must be http:// or https://, got " + url);
        }
        if (password != null && jwt != null) {
            throw new IllegalArgumentException(
                    "set hubble.drivers.trino.password or hubble.drivers.trino.jwt, not both");
        }
        allowedCatalogs = allowedCatalogs == null ? List.of() : List.copyOf(allowedCatalogs);
        allowedSchemas = allowedSchemas == null ? List.of() : List.copyOf(allowedSchemas);
        sessionProperties = sessionProperties == null ? Map.of() : Map.copyOf(sessionProperties);
        if (catalog != null && !allowedCatalogs.isEmpty() && !allowedCatalogs.contains(catalog)) {
            throw new IllegalArgumentException("hubble.drivers.trino.catalog " + catalog
                    + " is not in hubble.drivers.trino.allowed-catalogs " + allowedCatalogs);
        }
        if (schema != null && !allowedSchemas.isEmpty() && !allowedSchemas.contains(schema)) {
            throw new IllegalArgumentException("hubble.drivers.trino.schema " + schema
                    + " is not in hubble.drivers.trino.allowed-schemas " + allowedSchemas);
        }
        sessionProperties.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9_.]+")) {
                throw new IllegalArgumentException(
                        "hubble.drivers.trino.session-properties: not a session property name: " + name);
            }
        });
        for (Duration timeout : new Duration[] {connectTimeout, requestTimeout, retryFor, cancelTimeout}) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeouts under hubble.drivers.trino must be positive");
            }
        }
        if (maxResultBytes == null || maxResultBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("hubble.drivers.trino.max-result-bytes must be positive");
        }
    }

    /** Leaves the credentials out. */
    @Override
    public String toString() {
        return "TrinoProperties[url=" + url + ", user=" + user + ", password=" + (password == null ? null : "***")
                + ", jwt=" + (jwt == null ? null : "***") + ", catalog=" + catalog + ", schema=" + schema
                + ", allowedCatalogs=" + allowedCatalogs + ", allowedSchemas=" + allowedSchemas
                + ", sessionProperties=" + sessionProperties.keySet() + ", maxResultBytes=" + maxResultBytes + "]";
    }
}
