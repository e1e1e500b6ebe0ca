package dev.hubble.core.gate;

import dev.hubble.core.temporal.TaskQueues;

/** The one place gate names come from. */
public final class Gates {

    /** Name of the signal a gate sends a job when it grants the job's permit. */
    public static final String PERMIT_GRANTED = "permitGranted";

    private Gates() {}

    /**
     * The workflow id of {@code driver}'s gate: {@code gate-<driver>}. The gate runs on the
     * driver's own task queue ({@link TaskQueues#forDriver}).
     *
     * @throws IllegalArgumentException when {@code driver} is not a driver name
     */
    public static String workflowId(String driver) {
        TaskQueues.forDriver(driver); // validates the name
        return "gate-" + driver;
    }
}
