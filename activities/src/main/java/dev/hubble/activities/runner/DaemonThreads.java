package dev.hubble.activities.runner;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for runners' own threads: daemons, so that a runner's pool never keeps a
 * stopping worker alive, named so that a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Daemon threads all named {@code name}: for a pool of one. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + threads.incrementAndGet());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
