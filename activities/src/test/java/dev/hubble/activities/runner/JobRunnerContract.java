package dev.hubble.activities.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobSpec;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobRunner} promises, stated once: each runner's contract test extends this
 * class against its real engine (or the project's fake of it) and supplies the jobs. A new driver
 * passes these before anything else.
 *
 * <ul>
 *   <li>submit is idempotent for one job id: a retried submit finds the remote job it made;
 *   <li>a job the engine never had is never running or succeeded ({@code NOT_FOUND}, or FAILED
 *       when the runner knows it is gone for good);
 *   <li>cancel of a finished or unknown job does nothing, and cancel of a running job returns
 *       within its bound, after which the job never succeeds;
 *   <li>{@code logTail} is bounded by the lines asked for, and empty for an unknown job;
 *   <li>a runner that {@link JobRunner#writesLocally writes locally} gets a {@code file:}
 *       directory and leaves its result files there;
 *   <li>a working engine answers the health check ({@link JobRunner#checkEngine}).
 * </ul>
 */
public abstract class JobRunnerContract {

    private static final EnumSet<RemotePhase> UNSEEN = EnumSet.of(RemotePhase.NOT_FOUND, RemotePhase.FAILED);

    /** The runner under test, set up by the subclass. */
    protected abstract JobRunner runner();

    /** A job that succeeds within {@link #patience}, writing at least one result file. */
    protected abstract JobSpec quickJob();

    /** A job that runs until it is killed. */
    protected abstract JobSpec longJob();

    /** Where the job writes: a {@code file:} directory for a runner that writes locally. */
    protected abstract URI output(String jobId);

    /** How long a job may take to finish, or a kill to be confirmed, on a busy machine. */
    protected Duration patience() {
        return Duration.ofSeconds(60);
    }

    /**
     * The most lines {@code logTail(handle, lines)} may return: {@code lines}, unless the runner
     * keeps several streams of a job and tails each (see {@link JobRunner#logTail}).
     */
    protected int maxLogLines(int lines) {
        return lines;
    }

    /** A handle of the runner's driver that names no job the engine ever had. */
    protected RunHandle unknownHandle() {
        return new RunHandle(runner().driver(), "never-submitted-" + UUID.randomUUID(), Map.of());
    }

    @Test
    protected void aRetriedSubmitFindsTheRemoteJobItMadeInsteadOfMakingASecond() {
        String jobId = newJobId();
        RunHandle first = runner().submit(jobId, quickJob(), output(jobId));

        RunHandle again = runner().submit(jobId, quickJob(), output(jobId));

        assertThat(again.remoteId()).isEqualTo(first.remoteId());
        assertThat(again.driver()).isEqualTo(runner().driver());
        assertThat(awaitEnd(again).phase()).isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    protected void aJobTheEngineNeverHadIsNeitherRunningNorSucceeded() {
        assertThat(runner().poll(unknownHandle()).phase()).isIn(UNSEEN);
    }

    @Test
    protected void cancelOfAFinishedJobChangesNothing() {
        String jobId = newJobId();
        RunHandle handle = runner().submit(jobId, quickJob(), output(jobId));
        assertThat(awaitEnd(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);

        assertThatCode(() -> runner().cancel(handle)).doesNotThrowAnyException();

        assertThat(runner().poll(handle).phase()).isEqualTo(RemotePhase.SUCCEEDED);
    }

    @Test
    protected void cancelOfAJobTheEngineNeverHadDoesNothing() {
        assertThatCode(() -> runner().cancel(unknownHandle())).doesNotThrowAnyException();
    }

    @Test
    protected void cancelOfARunningJobReturnsWithinItsBoundAndTheJobNeverSucceeds() {
        String jobId = newJobId();
        RunHandle handle = runner().submit(jobId, longJob(), output(jobId));
        await().atMost(patience())
                .pollInterval(Duration.ofMillis(50))
                .until(() -> runner().poll(handle).phase() == RemotePhase.RUNNING);

        long started = System.nanoTime();
        runner().cancel(handle);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("the kill is confirmed within its bound").isLessThan(patience());
        assertThat(runner().poll(handle).phase())
                .as("what the engine says after a confirmed kill")
                .isNotIn(RemotePhase.PENDING, RemotePhase.RUNNING, RemotePhase.SUCCEEDED);
    }

    @Test
    protected void logTailIsBoundedByTheLinesAskedForAndEmptyForAnUnknownJob() {
        String jobId = newJobId();
        RunHandle handle = runner().submit(jobId, quickJob(), output(jobId));
        awaitEnd(handle);

        assertThat(runner().logTail(handle, 1)).hasSizeLessThanOrEqualTo(maxLogLines(1));
        assertThat(runner().logTail(handle, 3)).hasSizeLessThanOrEqualTo(maxLogLines(3));
        assertThat(runner().logTail(unknownHandle(), 5)).isEmpty();
    }

    @Test
    protected void aRunnerThatWritesLocallyLeavesItsResultInTheDirectoryItWasGiven() throws IOException {
        assumeThat(runner().writesLocally()).as("a runner that writes locally").isTrue();
        String jobId = newJobId();
        URI output = output(jobId);
        assertThat(output.getScheme()).isEqualTo("file");

        assertThat(awaitEnd(runner().submit(jobId, quickJob(), output)).phase()).isEqualTo(RemotePhase.SUCCEEDED);

        try (Stream<Path> files = Files.walk(Path.of(output))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(file -> file.getFileName().toString())
                            .filter(name -> !name.startsWith("_") && !name.startsWith(".")))
                    .as("result files under %s", output)
                    .isNotEmpty();
        }
    }

    @Test
    protected void aWorkingEngineAnswersTheHealthCheck() throws Exception {
        assertThat(runner().checkEngine()).isNotNull();
    }

    /** A job id of its own for each job a test submits. */
    protected static String newJobId() {
        return "contract-" + UUID.randomUUID();
    }

    /** Polls until the job ended (succeeded, failed or cancelled), within {@link #patience}. */
    protected RemoteStatus awaitEnd(RunHandle handle) {
        AtomicReference<RemoteStatus> last = new AtomicReference<>();
        await().atMost(patience()).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(runner().poll(handle));
            return last.get().phase().isTerminal();
        });
        return last.get();
    }
}
