package dev.hubble.activities.job;

import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.WatchRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;

/**
 * One watch of a remote job: polls its runner at once, then at a growing interval, until the
 * phase differs from the one the workflow knows, or the window has passed. Between polls it
 * heartbeats at least every {@link #HEARTBEAT_EVERY}; the heartbeat throws when the workflow no
 * longer waits for this watch, which ends it. A poll that fails is logged and made again later.
 */
final class Watch {

    /** The longest a watch waits without a heartbeat. */
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Watch.class);

    private final JobRunner runner;
    private final RunHandle handle;
    private final WatchRequest request;
    private final Clock clock;
    private final Runnable heartbeat;
    private final BooleanSupplier superseded;

    /**
     * @param heartbeat tells Temporal the watch is alive; throws when the watch should end
     * @param superseded true once a newer watch of the same job runs in this process
     */
    Watch(
            JobRunner runner,
            RunHandle handle,
            WatchRequest request,
            Clock clock,
            Runnable heartbeat,
            BooleanSupplier superseded) {
        this.runner = runner;
        this.handle = handle;
        this.request = request;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.superseded = superseded;
    }

    RemoteStatus run() throws InterruptedException {
        Instant end = clock.instant().plus(request.window());
        Duration interval = request.pollInitial();
        RemoteStatus last = RemoteStatus.of(request.knownPhase());
        int notFound = 0;
        while (true) {
            RemoteStatus status = poll();
            if (status != null) {
                if (status.phase() != RemotePhase.NOT_FOUND) {
                    notFound = 0;
                    last = status;
                    if (status.phase() != request.knownPhase()) {
                        return status;
                    }
                } else if (++notFound >= request.maxNotFound()) {
                    return status;
                }
            }
            Instant now = clock.instant();
            if (!now.isBefore(end) || superseded.getAsBoolean()) {
                return last;
            }
            // The last poll is at the window's end: a short watch still sees what happens in it.
            Instant nextPoll = now.plus(interval).isBefore(end) ? now.plus(interval) : end;
            waitUntil(nextPoll);
            interval = request.nextInterval(interval);
        }
    }

    private @Nullable RemoteStatus poll() {
        try {
            return runner.poll(handle);
        } catch (JobRejectedException e) {
            return new RemoteStatus(RemotePhase.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            log.warn(
                    "Polling {} job {} failed, looking again later: {}",
                    handle.driver(),
                    handle.remoteId(),
                    e.toString());
            return null;
        }
    }

    private void waitUntil(Instant when) throws InterruptedException {
        while (true) {
            heartbeat.run();
            Duration left = Duration.between(clock.instant(), when);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            Duration wait = left.compareTo(HEARTBEAT_EVERY) < 0 ? left : HEARTBEAT_EVERY;
            Instant before = clock.instant();
            runner.awaitChange(handle, wait);
            if (Duration.between(before, clock.instant()).compareTo(wait) < 0) {
                return; // the runner knows something new: poll now
            }
        }
    }
}
