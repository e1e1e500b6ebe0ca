package dev.hubble.activities.duckdb;

import dev.hubble.activities.runner.DaemonThreads;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs SQL in an embedded, in-memory DuckDB, one database per job, and writes the result straight
 * to the job's output directory as {@code result.csv} (with a header) or {@code result.parquet}.
 *
 * <p>A query is checked when it is submitted: DuckDB prepares it on a sandboxed connection, so a
 * syntax error, a missing table or a forbidden file fails the job at once with DuckDB's message.
 * It then runs on this runner's own threads; polls read its outcome from memory. The outcome of
 * a job lives only in the worker process that ran it: a worker that restarted reports the job
 * failed, and all jobs of this driver must be served by one worker process.
 */
public final class DuckDbRunner implements JobRunner, DisposableBean {

    /** The driver name. */
    public static final String DRIVER = "duckdb";

    /** Databases opened ahead of the jobs that will use them. */
    static final int WARM_DATABASES = 2;

    /** The most lines of a query its log shows. */
    static final int LOG_QUERY_LINES = 200;

    private static final Logger log = LoggerFactory.getLogger(DuckDbRunner.class);

    private final DuckDbProperties properties;
    private final Clock clock;
    private final ExecutorService executor;
    private final WarmDatabases databases;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    /** Finished executions in the order they finished: the oldest are forgotten first. */
    private final Queue<Execution> finishedInOrder = new ConcurrentLinkedQueue<>();

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();

    public DuckDbRunner(DuckDbProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.databases = new WarmDatabases(
                List.of(
                        "SET threads = " + properties.threads(),
                        "SET memory_limit = '" + properties.memoryLimit().toMegabytes() + "MB'",
                        "SET autoinstall_known_extensions = false",
                        "SET autoload_known_extensions = false"),
                WARM_DATABASES);
        this.executor = Executors.newFixedThreadPool(properties.parallelQueries(), DaemonThreads.numbered("duckdb"));
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    @Override
    public boolean writesLocally() {
        return true;
    }

    @Override
    public RunHandle submit(String jobId, JobSpec spec, URI output) {
        forgetOldExecutions();
        RunHandle handle = new RunHandle(DRIVER, jobId, Map.of("output", output.toString()));
        if (executions.containsKey(jobId)) {
            return handle;
        }
        Path dir = Path.of(output);
        Path file = dir.resolve("result." + spec.format().wireName());
        Execution execution = prepare(jobId, spec, dir, file);
        if (executions.putIfAbsent(jobId, execution) != null) {
            execution.close();
            return handle;
        }
        executor.execute(execution::run);
        return handle;
    }

    @Override
    public RemoteStatus poll(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            return new RemoteStatus(
                    RemotePhase.FAILED,
                    "the DuckDB query of this job is not known to this worker; the worker may have restarted while it ran");
        }
        return execution.status();
    }

    @Override
    public void cancel(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution != null) {
            execution.cancel();
        }
    }

    @Override
    public void awaitChange(RunHandle handle, Duration maxWait) throws InterruptedException {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            Thread.sleep(Math.max(0, maxWait.toMillis()));
        } else {
            execution.awaitChange(maxWait.toMillis());
        }
    }

    /** Opens an in-memory database of its own and asks DuckDB its version. */
    @Override
    public Map<String, Object> checkEngine() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("select version()")) {
            version.next();
            return Map.of("version", version.getString(1), "running", running.get());
        }
    }

    @Override
    public Optional<String> diagnostics(RunHandle handle) {
        return Optional.ofNullable(executions.get(handle.remoteId())).map(e -> e.detail);
    }

    /**
     * The job's query and what became of it: when it was submitted, started and finished, and
     * DuckDB's error in full. Kept in memory as long as the outcome ({@code keep-finished}); the
     * query shows at most {@value #LOG_QUERY_LINES} lines.
     */
    @Override
    public List<String> logTail(RunHandle handle, int lines) {
        Execution execution = executions.get(handle.remoteId());
        if (execution == null) {
            return List.of();
        }
        List<String> log = execution.log();
        return List.copyOf(log.subList(Math.max(0, log.size() - lines), log.size()));
    }

    /** Queries executing now. */
    public int running() {
        return running.get();
    }

    /** The most queries that executed at once since this runner started. */
    public int peakRunning() {
        return peakRunning.get();
    }

    @Override
    public void destroy() {
        databases.close();
        executor.shutdownNow();
        for (Execution execution : executions.values()) {
            try {
                execution.cancel();
            } catch (RuntimeException e) {
                log.warn("Stopping the DuckDB query of job {} failed: {}", execution.jobId, e.getMessage());
            }
        }
    }

    private Execution prepare(String jobId, JobSpec spec, Path dir, Path file) {
        Connection connection = null;
        try {
            connection = databases.take();
            configure(connection, dir);
            PreparedStatement statement = connection.prepareStatement(copyStatement(spec.query(), file, spec.format()));
            return new Execution(jobId, spec.query(), connection, statement, file);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw rejected(e);
        }
    }

    /** The job's own settings, on top of those every database got when it was opened; then locked. */
    private void configure(Connection connection, Path outputDir) throws SQLException {
        List<String> settings = new ArrayList<>();
        if (!properties.externalAccess()) {
            List<String> allowed = new ArrayList<>();
            allowed.add(directory(outputDir));
            properties.allowedDirectories().forEach(d -> allowed.add(directory(d)));
            settings.add("SET allowed_directories = ["
                    + String.join(
                            ", ", allowed.stream().map(DuckDbRunner::literal).toList()) + "]");
            settings.add("SET enable_external_access = false");
        }
        settings.add("SET lock_configuration = true");
        for (String setting : settings) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(setting);
            }
        }
    }

    /**
     * The user's query wrapped in a COPY to the result file. The wrapping also rejects more than
     * one statement: {@code COPY (a; b)} does not parse.
     */
    static String copyStatement(String query, Path file, OutputFormat format) {
        String body = query.strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).stripTrailing();
        }
        String options = format == OutputFormat.CSV ? "FORMAT CSV, HEADER" : "FORMAT PARQUET";
        return "COPY (\n" + body + "\n) TO " + literal(file.toAbsolutePath().toString()) + " (" + options + ")";
    }

    private static String directory(Path dir) {
        String path = dir.toAbsolutePath().normalize().toString();
        return path.endsWith("/") ? path : path + "/";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static JobRejectedException rejected(SQLException e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        int newline = text.indexOf('\n');
        String message = newline < 0 ? text : text.substring(0, newline).strip();
        return new JobRejectedException(message, newline < 0 ? null : text);
    }

    /** Forgets executions finished longer ago than {@code keep-finished}: the oldest first, so a submit costs O(1). */
    private void forgetOldExecutions() {
        Instant horizon = clock.instant().minus(properties.keepFinished());
        for (Execution oldest = finishedInOrder.peek();
                oldest != null && oldest.finishedAt.isBefore(horizon);
                oldest = finishedInOrder.peek()) {
            if (finishedInOrder.remove(oldest)) {
                executions.remove(oldest.jobId, oldest);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Closing DuckDB resource failed", e);
            }
        }
    }

    /**
     * One query: prepared at submit, run once on the runner's threads. Its phase moves under the
     * execution's lock, so a cancel and the start of the query cannot miss each other: a query
     * cancelled before it starts never runs, one cancelled while it runs is interrupted until it
     * stops (DuckDB's interrupt only reaches a statement that is already executing), and one that
     * finished just as it was cancelled still counts as cancelled and leaves no result file.
     */
    private final class Execution {

        /** How long a cancel keeps interrupting a query that has not stopped yet. */
        private static final long STOP_WITHIN_MILLIS = 30_000;

        private final String jobId;
        private final String query;
        private final Instant submittedAt = clock.instant();
        private volatile Instant startedAt;
        private final Connection connection;
        private final PreparedStatement statement;
        private final Path file;
        private RemotePhase phase = RemotePhase.PENDING;
        private RemotePhase polledPhase = RemotePhase.PENDING;
        private String message;
        private volatile String detail;
        private boolean cancelled;
        private volatile Instant finishedAt;

        Execution(String jobId, String query, Connection connection, PreparedStatement statement, Path file) {
            this.jobId = jobId;
            this.query = query;
            this.connection = connection;
            this.statement = statement;
            this.file = file;
        }

        void run() {
            synchronized (this) {
                if (phase.isTerminal()) {
                    return; // cancelled while it waited for a thread
                }
                moveTo(RemotePhase.RUNNING);
            }
            startedAt = clock.instant();
            peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                statement.execute();
                synchronized (this) {
                    if (cancelled) {
                        deleteQuietly(file);
                        finish(RemotePhase.CANCELLED, "cancelled", null);
                    } else {
                        finish(RemotePhase.SUCCEEDED, null, null);
                    }
                }
            } catch (SQLException e) {
                deleteQuietly(file);
                synchronized (this) {
                    if (cancelled) {
                        finish(RemotePhase.CANCELLED, "cancelled", null);
                    } else {
                        JobRejectedException failure = rejected(e);
                        finish(RemotePhase.FAILED, failure.getMessage(), failure.detail());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("DuckDB query of job {} failed unexpectedly", jobId, e);
                deleteQuietly(file);
                synchronized (this) {
                    finish(RemotePhase.FAILED, "DuckDB failed: " + e, null);
                }
            } finally {
                running.decrementAndGet();
                close(); // after the outcome is known: a watch sees it without waiting for this
            }
        }

        synchronized RemoteStatus status() {
            polledPhase = phase;
            return new RemoteStatus(phase, message);
        }

        synchronized List<String> log() {
            List<String> log = new ArrayList<>();
            log.add(submittedAt + " query accepted:");
            List<String> queryLines = query.strip().lines().toList();
            queryLines.stream().limit(LOG_QUERY_LINES).map(line -> "  " + line).forEach(log::add);
            if (queryLines.size() > LOG_QUERY_LINES) {
                log.add("  ... (" + (queryLines.size() - LOG_QUERY_LINES) + " more lines)");
            }
            RemotePhase now = phase; // read first: finish() sets the phase last
            Instant started = startedAt;
            Instant finished = now.isTerminal() ? finishedAt : null;
            if (started != null) {
                log.add(started + " running");
            }
            if (finished != null) {
                java.time.Duration took = java.time.Duration.between(started == null ? submittedAt : started, finished);
                log.add(finished + " " + now + " after " + took.toMillis() + " ms"
                        + (message == null ? "" : ": " + message));
                if (detail != null) {
                    detail.lines().forEach(line -> log.add("  " + line));
                }
            }
            return log;
        }

        /** Waits until the phase differs from the one last polled, or {@code millis} passed. */
        synchronized void awaitChange(long millis) throws InterruptedException {
            long until = System.nanoTime() + millis * 1_000_000;
            while (phase == polledPhase) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }

        /** Cancels the query and returns once it stopped; throws if it would not stop. */
        void cancel() {
            boolean neverRan;
            synchronized (this) {
                cancelled = true;
                neverRan = phase == RemotePhase.PENDING;
                if (neverRan) {
                    finish(RemotePhase.CANCELLED, "cancelled before it started", null);
                }
            }
            if (neverRan) {
                close(); // and it never will: run() sees the final phase
                return;
            }
            long giveUpAt = System.currentTimeMillis() + STOP_WITHIN_MILLIS;
            while (true) {
                synchronized (this) {
                    if (phase.isTerminal()) {
                        return;
                    }
                }
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    log.debug("Interrupting DuckDB query of job {} failed", jobId, e);
                }
                synchronized (this) {
                    if (phase.isTerminal()) {
                        return;
                    }
                    if (System.currentTimeMillis() >= giveUpAt) {
                        throw new IllegalStateException("the DuckDB query of job " + jobId + " did not stop within "
                                + STOP_WITHIN_MILLIS / 1000 + " s");
                    }
                    try {
                        wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while cancelling job " + jobId, e);
                    }
                }
            }
        }

        /** Call with the lock held. */
        private void finish(RemotePhase outcome, String message, String detail) {
            this.message = message;
            this.detail = detail;
            this.finishedAt = clock.instant();
            finishedInOrder.add(this);
            moveTo(outcome);
        }

        private void moveTo(RemotePhase next) {
            phase = next;
            notifyAll();
        }

        void close() {
            closeQuietly(statement);
            closeQuietly(connection);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.debug("Could not delete partial result {}", file, e);
        }
    }
}
