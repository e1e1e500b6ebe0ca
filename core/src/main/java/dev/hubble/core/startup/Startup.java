package dev.hubble.core.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a Spring application from a {@code main} method and ends the JVM when it cannot start.
 * Spring Boot closes the context of a failed start, but the threads of servers it had started
 * (gRPC, Kafka, Redis watchers, Tomcat) may not all be daemons and would keep the JVM up with
 * nothing serving. Here a failed start prints one line that says what is wrong and which setting
 * to change ({@link OneLineFailureReporter}) and exits with status 1; should a shutdown hook
 * hang, a watchdog halts the JVM {@link #EXIT_GRACE_MILLIS} ms later.
 */
public final class Startup {

    /** How long shutdown hooks get after a failed start before the JVM is halted. */
    static final long EXIT_GRACE_MILLIS = 5_000;

    private Startup() {}

    /** {@code application.run(args)}, or the end of the JVM with status 1 if it fails. */
    public static ConfigurableApplicationContext runOrExit(SpringApplication application, String... args) {
        try {
            return application.run(args);
        } catch (Throwable e) {
            // Spring Boot has reported the failure: an analysis with the setting to change, or
            // "Application run failed" with the stack trace. The last word is one line.
            System.out.flush();
            System.err.println(OneLineFailureReporter.lastFailure()
                    .orElse(OneLineFailureReporter.PREFIX + "the error above says why."));
            System.err.flush();
            Thread watchdog = new Thread(
                    () -> {
                        try {
                            Thread.sleep(EXIT_GRACE_MILLIS);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                        Runtime.getRuntime().halt(1);
                    },
                    "startup-failure-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            System.exit(1);
            throw e;
        }
    }
}
