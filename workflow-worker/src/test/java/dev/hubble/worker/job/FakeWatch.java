package dev.hubble.worker.job;

import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.WatchRequest;
import io.temporal.activity.Activity;
import java.util.function.Supplier;

/**
 * The watch of a fake engine, for workflow tests: polls at once and then every {@code everyMillis}
 * of real time (activities run in real time even where workflow time is skipped), with the real
 * watch's rules for what ends it; heartbeats while it waits, so it ends when the workflow is gone.
 */
final class FakeWatch {

    private FakeWatch() {}

    static RemoteStatus watch(Supplier<RemoteStatus> poll, WatchRequest request, long everyMillis) {
        long end = System.currentTimeMillis() + request.window().toMillis();
        RemoteStatus last = RemoteStatus.of(request.knownPhase());
        int notFound = 0;
        while (true) {
            RemoteStatus status = poll.get();
            if (status.phase() != RemotePhase.NOT_FOUND) {
                notFound = 0;
                last = status;
                if (status.phase() != request.knownPhase()) {
                    return status;
                }
            } else if (++notFound >= request.maxNotFound()) {
                return status;
            }
            long now = System.currentTimeMillis();
            if (now >= end) {
                return last;
            }
            long next = Math.min(now + everyMillis, end);
            while (System.currentTimeMillis() < next) {
                Activity.getExecutionContext().heartbeat(null);
                try {
                    Thread.sleep(Math.min(20, Math.max(1, next - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
