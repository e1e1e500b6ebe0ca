package dev.hubble.activities.localpython;

import dev.hubble.activities.runner.DaemonThreads;
import dev.hubble.activities.runner.JobEnvironment;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.PythonJobNames;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.lang.Nullable;

/**
 * Runs a Python job as a local process: {@code <python> -u <jobs-dir>/<name>.py}, where the job's
 * {@code query} is its name (see {@link PythonJobNames}). No shell is involved.
 *
 * <p>The process runs in the job's output directory, with stdin closed, stdout and stderr in
 * {@value #STDOUT} and {@value #STDERR} there (names starting with {@code _} are not results),
 * and the environment of {@link JobEnvironment}: the contract variables, and of the worker's own
 * environment only PATH, HOME, LANG, TZ, PYTHONPATH and the variables listed in
 * {@code inherit-env}. {@code PYTHONPATH} has {@code helper-path} first when it is set. The job's
 * token ({@link JobTokens}) expires {@code hubble.jobs.token-margin} after the job's timeout.
 *
 * <p>Exit code 0 is {@code SUCCEEDED}. Any other is {@code FAILED}: the message is the last
 * non-blank line of stderr (for an uncaught exception, {@code ValueError: ...}), or says the exit
 * code when stderr is empty; {@link #diagnostics} is the last {@code stderr-tail-lines} lines of
 * stderr. {@link #cancel} kills the whole process tree: SIGTERM to the descendants, then to the
 * process, and SIGKILL to whatever still runs after {@code kill-grace}.
 *
 * <p>Processes live only as long as this runner: stopping the worker kills them, and a handle
 * this runner does not know (the worker restarted) polls as {@code FAILED}. A worker that died
 * without stopping them (killed with SIGKILL, out of memory) leaves its processes running on
 * their own; the handle names the process (pid and start time), so the next poll, or a cancel,
 * of such a job kills what is left of it first: no job keeps writing results, or reporting to
 * the API, after it was recorded as failed. All jobs of this driver must therefore be served by
 * one worker process on one machine. Thread-safe.
 */
public final class LocalPythonRunner implements JobRunner, DisposableBean {

    /** The driver name. */
    public static final String DRIVER = "local-python";

    /** The file in the output directory that receives the job's stdout. */
    public static final String STDOUT = "_stdout.log";
    /** The file in the output directory that receives the job's stderr. */
    public static final String STDERR = "_stderr.log";

    static final String PARAM_PREFIX = JobEnvironment.PARAM_PREFIX;
    /** The handle's attribute with the job's process id. */
    static final String PID = "pid";
    /** The handle's attribute with the start time of the job's process, which tells it from a later one with its pid. */
    static final String STARTED = "started";

    private static final Logger log = LoggerFactory.getLogger(LocalPythonRunner.class);
    // Enough for any sensible tail; a job that writes megabytes of stderr costs one bounded read.
    private static final int TAIL_BYTES = 64 * 1024;
    // The most a log tail reads of each stream, however many lines are asked for.
    private static final int LOG_TAIL_BYTES = 1024 * 1024;

    private final LocalPythonProperties properties;
    private final JobTokens tokens;
    private final Clock clock;
    private final Path jobsDir;
    private final String apiUrl;
    private final ScheduledExecutorService killer;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();

    public LocalPythonRunner(LocalPythonProperties properties, JobTokens tokens, Clock clock) {
        this.properties = properties;
        this.tokens = tokens;
        this.clock = clock;
        this.jobsDir = properties.jobsDir().toAbsolutePath().normalize();
        this.apiUrl = properties.apiUrl().toString().replaceAll("/+$", "");
        this.killer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("local-python-killer"));
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    /**
     * Starts the job's process, or returns the handle of the one already started for this job id.
     *
     * @throws JobRejectedException if the name is not a Python job in the jobs directory (the
     *     message lists the available ones), a parameter cannot be passed in the environment, or
     *     {@code output} is not a local directory
     * @throws UncheckedIOException if the process cannot be started (e.g. no such interpreter)
     */
    @Override
    public boolean writesLocally() {
        return true;
    }

    @Override
    public RunHandle submit(String jobId, JobSpec spec, URI output) {
        forgetOldExecutions();
        Execution existing = executions.get(jobId);
        if (existing != null) {
            return existing.handle;
        }
        String name = spec.query();
        Path script = PythonJobNames.resolve(jobsDir, name)
                .orElseThrow(() -> new JobRejectedException(PythonJobNames.rejection(jobsDir, name)));
        JobEnvironment.checkParameters(spec.parameters());
        Path dir = outputDir(output);
        // computeIfAbsent: two concurrent submits of one job start one process.
        return executions.computeIfAbsent(jobId, id -> start(id, name, script, dir, output, spec)).handle;
    }

    @Override
    public RemoteStatus poll(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            Optional<ProcessHandle> orphan = orphanOf(handle);
            if (orphan.isPresent()) {
                long pid = orphan.get().pid();
                killOrphan(handle, orphan.get());
                return new RemoteStatus(
                        RemotePhase.FAILED,
                        "the worker that started the Python process of this job"
                                + " (pid " + pid + ") has died; the process was still running and has been killed, as a"
                                + " local Python job cannot be resumed by another worker");
            }
            return new RemoteStatus(
                    RemotePhase.FAILED,
                    "the Python process of this job is gone: the worker that"
                            + " started it has restarted (or forgot the job), and a local Python job cannot be resumed");
        }
        return execution.status();
    }

    /**
     * Kills the job's process tree and returns once the process has exited; does nothing when it
     * has finished or is not known here.
     */
    @Override
    public void cancel(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            orphanOf(handle).ifPresent(orphan -> killOrphan(handle, orphan));
            return;
        }
        execution.kill();
        Duration within = properties.killGrace().plusSeconds(5);
        if (!awaitGone(execution.process.toHandle(), within)) {
            throw new IllegalStateException("the Python process of job " + handle.remoteId() + " still runs "
                    + within.toSeconds() + " s after it was killed");
        }
    }

    /** Returns as soon as the job's process has exited, or after {@code maxWait}. */
    @Override
    public void awaitChange(RunHandle handle, Duration maxWait) throws InterruptedException {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            Thread.sleep(Math.max(0, maxWait.toMillis()));
            return;
        }
        try {
            execution.process.onExit().get(Math.max(0, maxWait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running: nothing new
        }
    }

    /**
     * The last lines of the job's stderr. Read from the output directory, so a job whose process
     * this runner no longer knows still has its last words.
     */
    /** The jobs directory must be there to be read: the programs are started from it. */
    @Override
    public Map<String, Object> checkEngine() {
        if (!Files.isDirectory(jobsDir) || !Files.isReadable(jobsDir)) {
            throw new IllegalStateException("the jobs directory " + jobsDir + " is not a readable directory");
        }
        return Map.of("jobsDir", jobsDir.toString(), "python", properties.python());
    }

    @Override
    public Optional<String> diagnostics(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        Path stderr = execution != null ? execution.stderr : stderrOf(handle);
        if (stderr == null) {
            return Optional.empty();
        }
        List<String> tail = tail(stderr, properties.stderrTailLines());
        return tail.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", tail));
    }

    /**
     * The end of the job's stdout, then of its stderr, each under a {@code ==> stdout <==} /
     * {@code ==> stderr <==} heading (as {@code tail} prints several files), at most
     * {@code lines} lines of each and at most 1 MiB read from each file. Read from the output
     * directory, so it works while the job runs and after the runner forgot it.
     */
    @Override
    public List<String> logTail(RunHandle handle, int lines) {
        Path dir = outputDirOf(handle);
        if (dir == null) {
            return List.of();
        }
        List<String> log = new ArrayList<>();
        for (String stream : List.of(STDOUT, STDERR)) {
            List<String> tail = tail(dir.resolve(stream), lines, LOG_TAIL_BYTES);
            if (!tail.isEmpty()) {
                log.add("==> " + (stream.equals(STDOUT) ? "stdout" : "stderr") + " <==");
                log.addAll(tail);
            }
        }
        return log;
    }

    /** Kills every process still running; waits at most {@code kill-grace} before forcing. */
    @Override
    public void destroy() {
        List<Execution> running =
                executions.values().stream().filter(e -> e.process.isAlive()).toList();
        running.forEach(Execution::kill);
        long deadline = System.nanoTime() + properties.killGrace().toNanos();
        for (Execution execution : running) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                execution.process.waitFor(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        killer.shutdownNow();
        running.forEach(Execution::forceKill);
    }

    private Execution start(String jobId, String name, Path script, Path dir, URI output, JobSpec spec) {
        ProcessBuilder builder = new ProcessBuilder(properties.python(), "-u", script.toString())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(STDOUT).toFile())
                .redirectError(dir.resolve(STDERR).toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> allowed = JobEnvironment.inherited(env, properties.inheritEnv());
        env.clear();
        env.putAll(allowed);
        env.putAll(
                JobEnvironment.contract(jobId, output, apiUrl, tokens.issue(jobId, spec.timeout()), spec.parameters()));
        if (properties.helperPath() != null) {
            String helper = properties.helperPath().toAbsolutePath().normalize().toString();
            String inherited = env.get("PYTHONPATH");
            env.put(
                    "PYTHONPATH",
                    inherited == null || inherited.isEmpty() ? helper : helper + File.pathSeparator + inherited);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + properties.python() + " for Python job " + name, e);
        }
        try {
            // A job that reads stdin sees its end instead of waiting forever.
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("Closing the stdin of Python job {} failed", name, e);
        }
        log.info("Started Python job {} for job {} as process {}", name, jobId, process.pid());
        RunHandle handle = new RunHandle(
                DRIVER,
                jobId,
                Map.of(
                        "output",
                        output.toString(),
                        "job",
                        name,
                        PID,
                        Long.toString(process.pid()),
                        STARTED,
                        process.info().startInstant().map(Instant::toString).orElse("")));
        Execution execution = new Execution(handle, name, process, dir.resolve(STDERR));
        process.onExit().thenRun(execution::status);
        return execution;
    }

    /**
     * The process a handle names, when it still runs and is the same process (same start time, so
     * not a later process that reuses the pid): one a worker that died left behind.
     */
    static Optional<ProcessHandle> orphanOf(RunHandle handle) {
        String pid = handle.attributes().get(PID);
        String started = handle.attributes().get(STARTED);
        if (pid == null || started == null || started.isEmpty()) {
            return Optional.empty();
        }
        Instant startedAt = Instant.parse(started);
        return ProcessHandle.of(Long.parseLong(pid))
                .filter(ProcessHandle::isAlive)
                .filter(process ->
                        process.info().startInstant().map(startedAt::equals).orElse(false));
    }

    /** Kills a process left behind by a worker that died, its descendants first, and waits until it is gone. */
    private void killOrphan(RunHandle handle, ProcessHandle orphan) {
        log.warn(
                "The Python process {} of job {} outlived the worker that started it; killing it",
                orphan.pid(),
                handle.remoteId());
        List<ProcessHandle> tree =
                Stream.concat(orphan.descendants(), Stream.of(orphan)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitGone(orphan, properties.killGrace())) {
            Stream.concat(orphan.descendants(), tree.stream())
                    .filter(ProcessHandle::isAlive)
                    .forEach(ProcessHandle::destroyForcibly);
            if (!awaitGone(orphan, Duration.ofSeconds(5))) {
                throw new IllegalStateException("the Python process " + orphan.pid() + " of job " + handle.remoteId()
                        + " still runs after it was killed");
            }
        }
    }

    private static boolean awaitGone(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing process " + process.pid(), e);
        }
    }

    private static Path outputDir(URI output) {
        if (!"file".equals(output.getScheme())) {
            throw new IllegalArgumentException("the local-python driver writes to a local directory, not to " + output);
        }
        Path dir = Path.of(output);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directory " + dir, e);
        }
        return dir;
    }

    private static @Nullable Path stderrOf(RunHandle handle) {
        Path dir = outputDirOf(handle);
        return dir == null ? null : dir.resolve(STDERR);
    }

    private static @Nullable Path outputDirOf(RunHandle handle) {
        String output = handle.attributes().get("output");
        if (output == null) {
            return null;
        }
        URI uri = URI.create(output);
        return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
    }

    /**
     * The last {@code lines} lines of {@code file} that end before any trailing blank lines;
     * only the last {@value #TAIL_BYTES} bytes are read. Bytes that are not UTF-8 are replaced.
     */
    static List<String> tail(Path file, int lines) {
        return tail(file, lines, TAIL_BYTES);
    }

    /** Like {@link #tail(Path, int)}, reading at most the last {@code maxBytes} bytes. */
    static List<String> tail(Path file, int lines, int maxBytes) {
        byte[] bytes;
        boolean partial;
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            long start = Math.max(0, size - maxBytes);
            partial = start > 0;
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until full or end of file
            }
            bytes = Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.warn("Cannot read {}", file, e);
            return List.of();
        }
        List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1)));
        if (partial && all.size() > 1) {
            all.remove(0);
        }
        while (!all.isEmpty() && all.get(all.size() - 1).isBlank()) {
            all.remove(all.size() - 1);
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void forgetOldExecutions() {
        Instant horizon = clock.instant().minus(properties.keepFinished());
        executions.values().removeIf(e -> e.finishedAt != null && e.finishedAt.isBefore(horizon));
    }

    /** One job's process. */
    private final class Execution {

        private final RunHandle handle;
        private final String name;
        private final Process process;
        private final Path stderr;
        private final AtomicBoolean killed = new AtomicBoolean();
        private volatile List<ProcessHandle> descendants = List.of();
        private volatile @Nullable Instant finishedAt;
        private @Nullable RemoteStatus outcome;

        Execution(RunHandle handle, String name, Process process, Path stderr) {
            this.handle = handle;
            this.name = name;
            this.process = process;
            this.stderr = stderr;
        }

        synchronized RemoteStatus status() {
            if (outcome != null) {
                return outcome;
            }
            if (process.isAlive()) {
                return RemoteStatus.of(RemotePhase.RUNNING);
            }
            int exit = process.exitValue();
            if (killed.get()) {
                outcome = new RemoteStatus(RemotePhase.CANCELLED, "the Python process was killed on request");
            } else if (exit == 0) {
                outcome = RemoteStatus.of(RemotePhase.SUCCEEDED);
            } else {
                outcome = new RemoteStatus(RemotePhase.FAILED, failureMessage(exit));
            }
            finishedAt = clock.instant();
            log.info(
                    "Python job {} for job {} exited with code {}: {}", name, handle.remoteId(), exit, outcome.phase());
            return outcome;
        }

        private String failureMessage(int exit) {
            List<String> tail = tail(stderr, properties.stderrTailLines());
            return tail.isEmpty()
                    ? "python job " + name + " exited with code " + exit
                    : tail.get(tail.size() - 1).strip();
        }

        /**
         * SIGTERM to the descendants, then to the process, and SIGKILL to the whole tree after
         * the grace period. The descendants are taken first because once the process is gone
         * they are re-parented and no longer found as its descendants. Only the first call acts.
         */
        void kill() {
            if (!process.isAlive() || !killed.compareAndSet(false, true)) {
                return;
            }
            descendants = process.descendants().toList();
            log.info(
                    "Killing Python job {} for job {} (process {} and {} descendants)",
                    name,
                    handle.remoteId(),
                    process.pid(),
                    descendants.size());
            descendants.forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                killer.schedule(this::forceKill, properties.killGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                forceKill(); // the runner is being destroyed
            }
        }

        /** SIGKILL to whatever is left of a killed tree. */
        void forceKill() {
            if (process.isAlive()) {
                log.info(
                        "Python job {} for job {} did not stop within {} of SIGTERM; killing it forcibly",
                        name,
                        handle.remoteId(),
                        properties.killGrace());
            }
            // Children started since the first snapshot are found now, while the process lives.
            Stream.concat(descendants.stream(), process.descendants())
                    .filter(ProcessHandle::isAlive)
                    .forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
