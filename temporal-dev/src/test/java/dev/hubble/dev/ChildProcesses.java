package dev.hubble.dev;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the tests stop the servers they run as child processes. */
final class ChildProcesses {

    private ChildProcesses() {}

    /**
     * Stops {@code process} the way an operator would, with SIGTERM, and waits until it is gone;
     * a process still running after {@code grace} is killed.
     */
    static void terminate(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
