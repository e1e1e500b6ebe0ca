package dev.hubble.activities.job;

import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.results.ResultStore;
import dev.hubble.core.results.ResultStoreRefusedException;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.WatchRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.lang.Nullable;

/**
 * Adapts the drivers' {@link JobRunner}s to Temporal: picks the job's runner, and turns a
 * {@link JobRejectedException} or a {@link ResultStoreRefusedException} into a final
 * {@link JobActivities#JOB_REJECTED} failure while letting every other exception be retried.
 *
 * <p>It also puts the job's files where its result location says. Submission prepares the
 * location (a missing bucket or refused credentials fail the job before it runs) and hands the
 * runner its output: the location itself, or, for an engine that only writes locally and a
 * location that is not local, a working directory {@code <work-dir>/<jobId>/}. Collecting the
 * result uploads that directory (streaming, resumable: a retry skips what is already there),
 * deletes it, and lists the location into a manifest. Uploading here, once for every local
 * engine, keeps the runners unaware of where results end up.
 */
public final class JobActivitiesImpl implements JobActivities {

    private static final Logger log = LoggerFactory.getLogger(JobActivitiesImpl.class);

    /**
     * Marks a working directory whose files were copied to the job's location, before its result
     * files are deleted: from then on the location, not the directory, holds the manifest.
     */
    static final String UPLOADED = ".uploaded";

    private final Map<String, JobRunner> runners;
    private final ResultStores results;
    private final Path workDir;
    private final Clock clock;
    /** The newest watch of each job in this process; an older one of the same job ends early. */
    private final Map<String, Object> watches = new ConcurrentHashMap<>();

    /**
     * @param workDir where local engines write the files of jobs whose store is not local, until
     *     they are uploaded
     */
    public JobActivitiesImpl(Collection<JobRunner> runners, ResultStores results, Path workDir, Clock clock) {
        this.runners = runners.stream().collect(Collectors.toUnmodifiableMap(JobRunner::driver, Function.identity()));
        this.results = results;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public JobActivitiesImpl(Collection<JobRunner> runners, ResultStores results, Path workDir) {
        this(runners, results, workDir, Clock.systemUTC());
    }

    @Override
    public RunHandle submit(String jobId, JobSpec spec) {
        return withJob(jobId, () -> {
            JobRunner runner = runner(spec.driver());
            URI location = results.locationOf(jobId, spec);
            ResultStore store = results.storeOf(location);
            store.prepare(location);
            URI output = location;
            Optional<Path> directory = store.directory(location);
            if (directory.isPresent()) {
                output = directory.get().toUri();
            } else if (runner.writesLocally()) {
                output = createDirectories(workingDirectory(jobId)).toUri();
            }
            RunHandle handle = runner.submit(jobId, spec, output);
            log.info("Submitted job to {} as {}", spec.driver(), handle.remoteId());
            return handle;
        });
    }

    @Override
    public RemoteStatus watch(RunHandle handle, WatchRequest request) {
        JobRunner runner = runner(handle.driver());
        ActivityExecutionContext context = Activity.getExecutionContext();
        String jobId = context.getInfo().getWorkflowId();
        Object token = new Object();
        watches.put(jobId, token);
        MDC.put("jobId", jobId);
        try {
            return new Watch(
                            runner,
                            handle,
                            request,
                            clock,
                            () -> context.heartbeat(null),
                            () -> watches.get(jobId) != token)
                    .run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching " + handle.remoteId(), e);
        } catch (JobRejectedException e) {
            throw rejected(e);
        } finally {
            watches.remove(jobId, token);
            MDC.remove("jobId");
        }
    }

    @Override
    public void cancel(RunHandle handle) {
        withJob(null, () -> {
            runner(handle.driver()).cancel(handle);
            log.info("Cancelled {} job {}", handle.driver(), handle.remoteId());
            return null;
        });
    }

    @Override
    public @Nullable String diagnostics(RunHandle handle) {
        return withJob(null, () -> runner(handle.driver()).diagnostics(handle).orElse(null));
    }

    @Override
    public JobResult collectResult(String jobId, JobSpec spec) {
        return withJob(jobId, () -> {
            URI location = results.locationOf(jobId, spec);
            ResultStore store = results.storeOf(location);
            Path working = workingDirectory(jobId);
            Path uploaded = working.resolve(UPLOADED);
            if (store.directory(location).isEmpty() && Files.isDirectory(working) && !Files.exists(uploaded)) {
                // Nothing has been deleted here yet, so these files are all the job wrote: they
                // are the manifest, and the store need not be listed before or after the copy.
                store.upload(working, location, retried());
                JobResult manifest = ResultStores.manifestOf(spec.format(), location, working);
                createFile(uploaded);
                deleteResults(working);
                log.info("Uploaded the job's result files to its location");
                return manifest;
            }
            return results.manifest(spec.format(), location);
        });
    }

    /**
     * Whether the running activity is a retry, whose earlier attempt may have copied some files
     * already; true outside an activity, where nothing is known.
     */
    private static boolean retried() {
        try {
            return Activity.getExecutionContext().getInfo().getAttempt() > 1;
        } catch (IllegalStateException notInAnActivity) {
            return true;
        }
    }

    private static void createFile(Path file) {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // An attempt that stopped after it wrote the mark; the files are copied either way.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Removes a working directory that holds nothing but its upload mark. It is moved aside first,
     * in one step: a directory left without its mark would be taken for one not uploaded yet.
     */
    private static void deleteIfOnlyMarked(Path dir) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            if (!left.allMatch(path -> path.getFileName().toString().equals(UPLOADED))) {
                return;
            }
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".deleted");
        Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(aside.resolve(UPLOADED));
        Files.delete(aside);
    }

    private static ApplicationFailure rejected(JobRejectedException e) {
        return ApplicationFailure.newNonRetryableFailure(
                e.getMessage(), JOB_REJECTED, e.detail() == null ? "" : e.detail());
    }

    private JobRunner runner(String driver) {
        JobRunner runner = runners.get(driver);
        if (runner == null) {
            // A job reached a worker that has no runner for its driver: a deployment error that
            // retrying on the same worker cannot fix, but another worker might, so it is retried.
            throw new IllegalStateException(
                    "no runner for driver " + driver + " in this worker; runners: " + runners.keySet());
        }
        return runner;
    }

    private static <T> T withJob(@Nullable String jobId, Supplier<T> action) {
        if (jobId != null) {
            MDC.put("jobId", jobId);
        }
        try {
            return action.get();
        } catch (JobRejectedException e) {
            throw rejected(e);
        } catch (ResultStoreRefusedException e) {
            log.warn("The result store refused: {}", e.getMessage());
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), JOB_REJECTED, "");
        } finally {
            MDC.remove("jobId");
        }
    }

    private Path workingDirectory(String jobId) {
        Path dir = workDir.resolve(jobId).normalize();
        if (!workDir.equals(dir.getParent())) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        return dir;
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create working directory " + dir, e);
        }
    }

    /**
     * Deletes the uploaded result files of a working directory, deepest first, and the directory
     * once it is empty. Files whose names start with {@code _} or {@code .} are not results and
     * stay: a local job's logs ({@code _stdout.log}, {@code _stderr.log}) are read from there for
     * its log tail.
     */
    private static void deleteResults(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                String name = path.getFileName().toString();
                if (!path.equals(dir) && (name.startsWith("_") || name.startsWith("."))) {
                    continue;
                }
                if (Files.isDirectory(path)) {
                    try (Stream<Path> left = Files.list(path)) {
                        if (left.findAny().isPresent()) {
                            continue;
                        }
                    }
                }
                Files.deleteIfExists(path);
            }
            deleteIfOnlyMarked(dir);
        } catch (IOException e) {
            // The files are uploaded; a leftover working directory only takes disk space.
            log.warn("Could not delete the working directory {}: {}", dir, e.toString());
        }
    }
}
