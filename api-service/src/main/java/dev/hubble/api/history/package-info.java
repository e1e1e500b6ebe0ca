/**
 * A job's story read back from Temporal: {@code GET /v1/jobs/{id}/history} walks every run of
 * the job's workflow (across continue-as-new) and turns the raw history events into a short,
 * readable timeline: transitions, permit waits and grants, submissions, polls that changed
 * something, reports the job sent, retries with their failures, cancel requests and timeouts.
 *
 * <p>Which activity or signal means what is one table, {@link dev.hubble.api.history.TimelineCatalog}:
 * a new activity or signal needs one line there; one it does not know still shows, generically.
 * It reads only the history service (no visibility queries), so it works on the Java test server
 * as on a real cluster.
 */
@NonNullApi
package dev.hubble.api.history;

import org.springframework.lang.NonNullApi;
