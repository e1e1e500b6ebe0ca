package dev.hubble.core.temporal;

import java.util.regex.Pattern;

/**
 * The one place task-queue names come from. Each driver has its own queue, served by its own
 * worker pool, so jobs of one driver can never take the workers of another.
 */
public final class TaskQueues {

    private static final Pattern DRIVER_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private TaskQueues() {}

    /** The task queue that runs jobs of {@code driver}: {@code hubble-jobs-<driver>}. */
    public static String forDriver(String driver) {
        if (!DRIVER_NAME.matcher(driver).matches()) {
            throw new IllegalArgumentException("not a driver name: " + driver);
        }
        return "hubble-jobs-" + driver;
    }
}
