package dev.hubble.worker.job;

import dev.hubble.core.config.DriverProperties;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.WatchRequest;
import java.time.Duration;
import org.springframework.lang.Nullable;

/**
 * How a job workflow of one driver waits for its remote job. The workflow records the settings
 * in its history when a run starts, so changing them never changes what an in-flight run
 * replays.
 *
 * @param pollInitial the wait after the first poll of a watch (which is made at once)
 * @param pollFactor how much the wait grows after each poll
 * @param pollMax the longest wait between polls
 * @param maxPollsPerRun watches (each at most {@code watchWindow} long) before the workflow
 *     continues as new
 * @param maxNotFoundPolls polls in a row that may find no remote job before the job fails
 * @param gate the gate the driver's jobs are admitted through; null for the driver's own. Only
 *     tests set it: drivers that share a gate can deadlock, which is what the tests show.
 * @param watchWindow how long one watch lasts at most; null for the default, one hour
 * @param killTimeout how long a cancel or timeout waits for the engine to confirm the kill; null
 *     for the default, one minute
 * @param quickLook how long each of the first looks at a job just submitted lasts (local
 *     activities in the workflow task that submitted it); zero for none; null for the default,
 *     one second
 */
public record JobWorkflowSettings(
        Duration pollInitial,
        double pollFactor,
        Duration pollMax,
        int maxPollsPerRun,
        int maxNotFoundPolls,
        @Nullable String gate,
        @Nullable Duration watchWindow,
        @Nullable Duration killTimeout,
        @Nullable Duration quickLook) {

    static final Duration DEFAULT_WATCH_WINDOW = Duration.ofHours(1);
    static final Duration DEFAULT_KILL_TIMEOUT = Duration.ofMinutes(1);
    static final Duration DEFAULT_QUICK_LOOK = Duration.ofSeconds(1);

    /** Settings that admit jobs through their driver's own gate, with the default window and kill timeout. */
    public JobWorkflowSettings(
            Duration pollInitial, double pollFactor, Duration pollMax, int maxPollsPerRun, int maxNotFoundPolls) {
        this(pollInitial, pollFactor, pollMax, maxPollsPerRun, maxNotFoundPolls, null, null, null, null);
    }

    /** Settings with the default window and kill timeout. */
    public JobWorkflowSettings(
            Duration pollInitial,
            double pollFactor,
            Duration pollMax,
            int maxPollsPerRun,
            int maxNotFoundPolls,
            @Nullable String gate) {
        this(pollInitial, pollFactor, pollMax, maxPollsPerRun, maxNotFoundPolls, gate, null, null, null);
    }

    public JobWorkflowSettings {
        WatchRequest.checkPolls(pollInitial, pollFactor, pollMax);
        if (maxPollsPerRun < 1 || maxNotFoundPolls < 1) {
            throw new IllegalArgumentException("maxPollsPerRun and maxNotFoundPolls must be positive");
        }
        if (watchWindow == null) {
            watchWindow = DEFAULT_WATCH_WINDOW;
        }
        if (killTimeout == null) {
            killTimeout = DEFAULT_KILL_TIMEOUT;
        }
        if (quickLook == null) {
            quickLook = DEFAULT_QUICK_LOOK;
        }
    }

    /** The settings of a driver, from its properties. */
    public static JobWorkflowSettings of(DriverProperties driver) {
        return new JobWorkflowSettings(
                driver.pollInitial(),
                driver.pollFactor(),
                driver.pollMax(),
                driver.maxPollsPerRun(),
                5,
                null,
                driver.watchWindow(),
                driver.killTimeout(),
                driver.quickLook());
    }

    /** These settings with another watch window and kill timeout. */
    public JobWorkflowSettings withWindowAndKillTimeout(Duration window, Duration kill) {
        return new JobWorkflowSettings(
                pollInitial, pollFactor, pollMax, maxPollsPerRun, maxNotFoundPolls, gate, window, kill, quickLook);
    }

    /** These settings with another quick look; zero for none. */
    public JobWorkflowSettings withQuickLook(Duration look) {
        return new JobWorkflowSettings(
                pollInitial,
                pollFactor,
                pollMax,
                maxPollsPerRun,
                maxNotFoundPolls,
                gate,
                watchWindow,
                killTimeout,
                look);
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

    /** A watch of a job the workflow knows in {@code knownPhase}. */
    WatchRequest watch(RemotePhase knownPhase) {
        return new WatchRequest(knownPhase, pollInitial, pollFactor, pollMax, watchWindow, maxNotFoundPolls);
    }
}
