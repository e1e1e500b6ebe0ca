package dev.hubble.activities.events;

import dev.hubble.core.job.JobRecord;
import java.time.Duration;

/**
 * Tells subscribers about a job's transitions: one event per recorded {@link JobRecord}, named
 * {@code <jobId>:<sequence>}.
 *
 * <p>Implementations are thread-safe. {@link #publish} returns only once the event is durably
 * accepted, and throws otherwise; the caller (a Temporal activity) is retried until it succeeds.
 * Publishing a record again sends the same event again, under the same id: subscribers drop
 * events whose id they have seen.
 */
public interface StatusEvents {

    /**
     * Publishes the event of {@code record} and waits until it is accepted.
     *
     * @throws StatusEventException if it was not accepted in time; it may still arrive, so a retry
     *     can make a duplicate, never a gap
     */
    void publish(JobRecord record);

    /**
     * Publishes the event of {@code record} if it is accepted within {@code within}.
     *
     * @return whether it was accepted; if not, it may still arrive (before any later event of the
     *     job), and the caller publishes it again with {@link #publish}
     */
    default boolean tryPublish(JobRecord record, Duration within) {
        try {
            publish(record);
            return true;
        } catch (StatusEventException e) {
            return false;
        }
    }
}
