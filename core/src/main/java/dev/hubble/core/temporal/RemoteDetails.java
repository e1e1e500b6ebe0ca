package dev.hubble.core.temporal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.lang.Nullable;

/**
 * What a poll learned about a remote job beyond its phase, for people who look into it: where
 * the engine keeps it and where its UI and logs are. Shown under {@code remote} in {@code GET
 * /v1/jobs/{id}} and in status events. Every part is optional; a runner fills what its engine
 * says. Holds no secret and no presigned URL.
 *
 * @param engineId the engine's own id for the job, e.g. a Livy batch id or an AWS Batch job id
 * @param appId the cluster's application id, e.g. YARN's {@code application_...}
 * @param uiUrl the job's UI, e.g. the Spark UI or the AWS Batch console page of the job
 * @param logUrl the job's (driver) log, e.g. a YARN container log or a CloudWatch console page
 * @param logStream the log stream the job writes to, e.g. its CloudWatch Logs stream
 * @param engineState the engine's own word for the job's state when it was last seen, e.g.
 *     Trino's {@code RUNNING} or {@code FAILED: USER_CANCELED}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoteDetails(
        @Nullable String engineId,
        @Nullable String appId,
        @Nullable String uiUrl,
        @Nullable String logUrl,
        @Nullable String logStream,
        @Nullable String engineState) {

    /** Nothing learned. */
    public static final RemoteDetails NONE = new RemoteDetails(null, null, null, null, null, null);

    /** Details without the engine's state. */
    public RemoteDetails(
            @Nullable String engineId,
            @Nullable String appId,
            @Nullable String uiUrl,
            @Nullable String logUrl,
            @Nullable String logStream) {
        this(engineId, appId, uiUrl, logUrl, logStream, null);
    }

    /** Details without a log stream. */
    public RemoteDetails(
            @Nullable String engineId, @Nullable String appId, @Nullable String uiUrl, @Nullable String logUrl) {
        this(engineId, appId, uiUrl, logUrl, null, null);
    }

    /** Whether nothing was learned. */
    @JsonIgnore
    public boolean isEmpty() {
        return engineId == null
                && appId == null
                && uiUrl == null
                && logUrl == null
                && logStream == null
                && engineState == null;
    }

    /**
     * What is known after {@code newer} was learned: each of its parts, else the part known before
     * (an engine that stops saying where its UI is does not make it unknown).
     */
    public RemoteDetails updatedWith(@Nullable RemoteDetails newer) {
        if (newer == null || newer.isEmpty()) {
            return this;
        }
        return new RemoteDetails(
                or(newer.engineId, engineId),
                or(newer.appId, appId),
                or(newer.uiUrl, uiUrl),
                or(newer.logUrl, logUrl),
                or(newer.logStream, logStream),
                or(newer.engineState, engineState));
    }

    private static @Nullable String or(@Nullable String newer, @Nullable String older) {
        return newer != null ? newer : older;
    }
}
