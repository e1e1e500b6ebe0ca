package dev.hubble.core.gate;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * What gate workflows and the workflows that ask them need from outside workflow code. Every
 * method is safe to retry.
 */
@ActivityInterface(namePrefix = "Gate")
public interface GateActivities {

    /** Failure type of a request for a driver this worker does not know; never retried. */
    String UNKNOWN_DRIVER = "UnknownDriver";

    /**
     * Sends {@code request} to {@code driver}'s gate, starting the gate with the configured
     * capacity when it is not running (signal-with-start). Returns once the gate has the request,
     * not when the permit is granted. Sending the same request twice is harmless.
     */
    void requestPermit(String driver, PermitRequest request);

    /**
     * Gives {@code jobId}'s permit (or its place in the queue) back to {@code driver}'s gate, for
     * the request made at {@code requestedAt} or before it (null: whatever the job holds; see
     * {@link GateWorkflow#release}). Returns once the gate has the release. Releasing twice is
     * harmless, also after the job asked again. Throws when no gate runs (between two runs of it,
     * or terminated), so that it is tried again.
     */
    void releasePermit(String driver, String jobId, @Nullable Instant requestedAt);

    /**
     * The ids among {@code jobIds} whose workflow is no longer running: closed, or unknown to
     * Temporal. A workflow that continued as new counts as running.
     */
    List<String> notRunning(List<String> jobIds);
}
