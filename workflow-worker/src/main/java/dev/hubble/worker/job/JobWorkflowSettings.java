package dev.hubble.worker.job;

import dev.hubble.core.config.DriverProperties;
import java.time.Duration;
import org.springframework.lang.Nullable;

/**
 * How a job workflow of one driver polls. The workflow records the settings in its history when
 * a run starts, so changing them never changes what an in-flight run replays.
 *
 * @param pollInitial the wait before the first poll
 * @param pollFactor how much the wait grows after each poll
 * @param pollMax the longest wait between polls
 * @param maxPollsPerRun polls before the workflow continues as new
 * @param maxNotFoundPolls polls in a row that may find no remote job before the job fails
 * @param gate the gate the driver's jobs are admitted through; null for the driver's own. Only
 *     tests set it: drivers that share a gate can deadlock, which is what the tests show.
 */
public record JobWorkflowSettings(
        Duration pollInitial, double pollFactor, Duration pollMax, int maxPollsPerRun, int maxNotFoundPolls,
        @Nullable String gate) {

    /** Settings that admit jobs through their driver's own gate. */
    public JobWorkflowSettings(Duration pollInitial, double pollFactor, Duration pollMax, int maxPollsPerRun,
            int maxNotFoundPolls) {
        this(pollInitial, pollFactor, pollMax, maxPollsPerRun, maxNotFoundPolls, null);
    }

    public JobWorkflowSettings {
        if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0 || pollFactor < 1.0) {
            throw new IllegalArgumentException("bad poll settings: " + pollInitial + " x" + pollFactor + " up to " + pollMax);
        }
        if (maxPollsPerRun < 1 || maxNotFoundPolls < 1) {
            throw new IllegalArgumentException("maxPollsPerRun and maxNotFoundPolls must be positive");
        }
    }

    /** The settings of a driver, from its properties. */
    public static JobWorkflowSettings of(DriverProperties driver) {
        return new JobWorkflowSettings(driver.pollInitial(), driver.pollFactor(), driver.pollMax(), driver.maxPollsPerRun(), 5);
    }

    /** The gate jobs of {@code driver} are admitted through. */
    public String gateFor(String driver) {
        return gate == null ? driver : gate;
    }

    /** The wait after {@code current}: grown by the factor, capped. */
    public Duration nextInterval(Duration current) {
        long grown = (long) Math.min(Long.MAX_VALUE, current.toMillis() * pollFactor);
        return grown >= pollMax.toMillis() ? pollMax : Duration.ofMillis(grown);
    }
}
