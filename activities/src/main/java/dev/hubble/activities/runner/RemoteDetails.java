package dev.hubble.activities.runner;

import org.springframework.lang.Nullable;

/**
 * What a poll learned about a remote job beyond its phase, for people who look into it: where
 * the engine keeps it and where its UI and logs are. Every part is optional; a runner fills what
 * its engine says. Holds no secret and no presigned URL.
 *
 * @param engineId the engine's own number for the job, e.g. a Livy batch id
 * @param appId the cluster's application id, e.g. YARN's {@code application_...}
 * @param uiUrl the job's UI, e.g. the Spark UI
 * @param logUrl the job's (driver) log
 */
public record RemoteDetails(
        @Nullable String engineId, @Nullable String appId, @Nullable String uiUrl, @Nullable String logUrl) {

    /** Nothing learned. */
    public static final RemoteDetails NONE = new RemoteDetails(null, null, null, null);
}
