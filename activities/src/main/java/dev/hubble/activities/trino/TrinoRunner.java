package dev.hubble.activities.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubble.activities.runner.DaemonThreads;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.activities.trino.ResultWriter.ResultTooLargeException;
import dev.hubble.activities.trino.TrinoClient.Page;
import dev.hubble.activities.trino.TrinoClient.QueryInfo;
import dev.hubble.activities.trino.TrinoClient.TrinoError;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ReadOnlySql;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.lang.Nullable;

/**
 * Runs read-only SQL on a Trino coordinator over its client REST protocol, and streams the rows
 * through this worker into the job's output directory as {@code result.csv} (with a header) or
 * {@code result.parquet} ({@link ResultWriter}); the directory is uploaded to the job's location
 * like every local engine's ({@link #writesLocally}).
 *
 * <p><b>Submit</b> refuses statements that are not read-only ({@link ReadOnlySql}) and
 * catalogs or schemas outside the allow-lists, stages the job as {@value #JOB_FILE} in its
 * directory, then starts the query with the client tag {@code hubble-job=<job id>} and the
 * configured {@code source}. Before it starts one, it looks in {@code /v1/query} for a query with
 * that tag still running (a submit whose answer was lost, a worker that died) and cancels it,
 * confirmed: a job never has two queries running. The rows are then read on this runner's own
 * threads, page by page, as the protocol wants (a query whose client stops reading is abandoned
 * by Trino after its {@code query.client.timeout}).
 *
 * <p><b>Outcome.</b> A finished query leaves {@value #OUTCOME_FILE} beside its result (phase,
 * Trino's query id, its error). Trino's errors are the job's, in Trino's words: {@code
 * SYNTAX_ERROR: line 1:1: mismatched input 'selec'...}; a failed query fails the job at once,
 * never run again. A result beyond {@code max-result-bytes} cancels the query and fails the job.
 * Failed and cancelled jobs keep no result file.
 *
 * <p><b>A worker lost mid-query.</b> A poll in a process that does not run the job's query reads
 * the job's directory: an outcome file says how it ended; else, a staged job is run again (the
 * orphan query is cancelled first), since a read gives the same result twice. This needs the
 * job's directory on this machine: all workers of this driver share one machine (or one
 * directory for {@code hubble.results.work-dir} and the local results). A poll without either
 * fails the job, saying why.
 *
 * <p><b>Cancel</b> deletes the query in Trino and returns once Trino says it ended ({@code
 * USER_CANCELED} in {@code GET /v1/query/{id}}), within {@code cancel-timeout}; else it throws,
 * and is tried again.
 *
 * <p>Thread-safe; one instance serves every job of the driver in the process.
 */
public final class TrinoRunner implements JobRunner, DisposableBean {

    /** The driver name. */
    public static final String DRIVER = "trino";

    /** The job as staged at submit, for a worker that must run it again. */
    static final String JOB_FILE = "_job.json";
    /** How the job's query ended. */
    static final String OUTCOME_FILE = "_trino.json";
    /** The job parameter choosing the catalog. */
    public static final String CATALOG_PARAMETER = "catalog";
    /** The job parameter choosing the schema. */
    public static final String SCHEMA_PARAMETER = "schema";

    static final String OUTPUT = "output";
    private static final int LOG_QUERY_LINES = 200;
    private static final Logger log = LoggerFactory.getLogger(TrinoRunner.class);

    private final TrinoProperties properties;
    private final TrinoClient client;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService executor;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, Object> starting = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    public TrinoRunner(TrinoProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.client = new TrinoClient(properties, json);
        this.json = json;
        this.clock = clock;
        this.executor = Executors.newCachedThreadPool(DaemonThreads.numbered("trino"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("trino-orphans"));
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    @Override
    public boolean writesLocally() {
        return true;
    }

    /**
     * Starts the job's query, or finds the one this process runs for it already.
     *
     * @throws JobRejectedException for a statement that is not read-only, a catalog or schema not
     *     allowed, or a request Trino refuses (4xx, e.g. bad credentials)
     */
    @Override
    public RunHandle submit(String jobId, JobSpec spec, URI output) {
        forgetOldExecutions();
        RunHandle handle = new RunHandle(DRIVER, jobId, Map.of(OUTPUT, output.toString()));
        if (executions.containsKey(jobId)) {
            return handle;
        }
        Path dir = Path.of(output);
        if (readOutcome(dir).isPresent()) {
            log.info("Job {} has run already: its directory holds {}", jobId, OUTCOME_FILE);
            return handle;
        }
        ReadOnlySql.rejection(spec.query()).ifPresent(reason -> {
            throw new JobRejectedException(reason);
        });
        StagedJob job = new StagedJob(
                ReadOnlySql.statement(spec.query()),
                spec.format(),
                choose(
                        CATALOG_PARAMETER,
                        spec.parameters().get(CATALOG_PARAMETER),
                        properties.catalog(),
                        properties.allowedCatalogs()),
                choose(
                        SCHEMA_PARAMETER,
                        spec.parameters().get(SCHEMA_PARAMETER),
                        properties.schema(),
                        properties.allowedSchemas()));
        write(dir.resolve(JOB_FILE), job.toJson(json));
        start(jobId, job, dir);
        return handle;
    }

    @Override
    public RemoteStatus poll(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution != null) {
            return execution.status();
        }
        return recover(handle);
    }

    /** Cancels the job's query, confirmed by Trino; a job whose query ended is left as it is. */
    @Override
    public void cancel(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution != null) {
            execution.cancel();
            return;
        }
        Path dir = output(handle);
        if (readOutcome(dir).isPresent()) {
            return;
        }
        // Run by a process that is gone, or by none: cancel whatever Trino runs for the job.
        cancelOrphans(handle.remoteId());
        writeOutcome(dir, new Outcome(RemotePhase.CANCELLED, "cancelled", null, null, null, null));
        deleteResults(dir);
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

    @Override
    public Optional<String> diagnostics(RunHandle handle) {
        Execution execution = executions.get(handle.remoteId());
        if (execution != null) {
            return Optional.ofNullable(execution.detail);
        }
        return readOutcome(output(handle)).map(Outcome::detail);
    }

    /**
     * The job's query, Trino's query id, its states and progress as this worker saw them, and
     * how it ended, Trino's error in full. Kept in memory as long as the outcome
     * ({@code keep-finished}); the query shows at most {@value #LOG_QUERY_LINES} lines.
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

    /** Queries whose rows this worker reads now. */
    public int running() {
        return running.get();
    }

    /**
     * Stops reading rows and cancels this worker's queries in Trino, leaving no outcome: a
     * worker that polls the jobs next runs them again.
     */
    @Override
    public void destroy() {
        for (Execution execution : executions.values()) {
            execution.abandon();
        }
        executor.shutdownNow();
        sweeper.shutdownNow();
    }

    /**
     * What a worker killed with {@code kill -9} leaves of a job: its query in Trino, and no one
     * reading its rows. Visible for tests of the recovery.
     */
    void loseForTest(String jobId) {
        Execution execution = executions.remove(jobId);
        if (execution != null) {
            execution.lose();
        }
    }

    /** Starts the job's query, unless this process runs one for it already. */
    private Execution start(String jobId, StagedJob job, Path dir) {
        Object lock = starting.computeIfAbsent(jobId, id -> new Object());
        synchronized (lock) {
            try {
                Execution existing = executions.get(jobId);
                if (existing != null) {
                    return existing;
                }
                ResultWriter writer;
                Page first;
                long giveUpAt = System.nanoTime() + properties.retryFor().toNanos();
                long pause = 100;
                while (true) {
                    // Each time: a start whose answer was lost may have started a query all the same.
                    cancelOrphans(jobId);
                    deleteResults(dir);
                    writer = new ResultWriter(
                            dir, job.format(), properties.maxResultBytes().toBytes());
                    try {
                        first = client.start(jobId, job.sql(), job.catalog(), job.schema(), writer);
                        break;
                    } catch (TrinoException e) {
                        writer.discard();
                        if (e.isRefusal()) {
                            throw new JobRejectedException("Trino refused the query: " + e.getMessage());
                        }
                        if (!e.isRetryable() || System.nanoTime() + pause * 1_000_000 > giveUpAt) {
                            throw e;
                        }
                        log.info("Job {}: starting its Trino query failed, trying again: {}", jobId, e.getMessage());
                        sleep(pause);
                        pause = Math.min(pause * 2, 2_000);
                    } catch (RuntimeException e) {
                        writer.discard();
                        throw e;
                    }
                }
                Execution execution = new Execution(jobId, job, dir, writer, first);
                executions.put(jobId, execution);
                log.info("Started job {} as Trino query {}", jobId, first.id());
                executor.execute(execution::run);
                return execution;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the result of job " + jobId + " into " + dir, e);
            } finally {
                starting.remove(jobId, lock);
            }
        }
    }

    /**
     * The status of a job this process does not run: how it ended, from its directory; or its
     * query started again when it had not ended (see the class comment).
     */
    private RemoteStatus recover(RunHandle handle) {
        Path dir = output(handle);
        Optional<Outcome> outcome = readOutcome(dir);
        if (outcome.isPresent()) {
            return outcome.get().status();
        }
        Optional<StagedJob> job = readJob(dir);
        if (job.isEmpty()) {
            return new RemoteStatus(
                    RemotePhase.FAILED,
                    "the Trino query of this job is not known to this worker, and its directory " + dir
                            + " holds neither its outcome nor the staged job: the worker that ran it was lost,"
                            + " on another machine");
        }
        log.warn(
                "Job {}: no worker reads the rows of its Trino query (its worker was lost); running it again",
                handle.remoteId());
        Execution execution = start(handle.remoteId(), job.get(), dir);
        sweepLater(handle.remoteId(), execution.queryId);
        return execution.status();
    }

    /**
     * Cancels, a few times over the next {@code request-timeout}, any other query of the job that
     * Trino runs: a lost worker's last request may still reach Trino after the sweep before the
     * rerun started, and dispatch a statement that was only queued (Trino dispatches a statement
     * when its client first follows {@code nextUri}).
     */
    private void sweepLater(String jobId, String keep) {
        long last = properties.requestTimeout().toMillis() + 1_000;
        for (long delay : new long[] {1_000, 3_000, 10_000, last}) {
            if (delay > last) {
                continue;
            }
            sweeper.schedule(() -> cancelOthers(jobId, keep), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Cancels the queries of the job that Trino runs, but {@code keep}; does not wait. */
    private void cancelOthers(String jobId, String keep) {
        try {
            for (QueryInfo query : client.queriesTagged(TrinoClient.JOB_TAG + jobId)) {
                if (!query.done() && !query.queryId().equals(keep)) {
                    log.warn(
                            "Job {}: cancelling its orphan Trino query {} ({})", jobId, query.queryId(), query.state());
                    client.cancel(query.queryId());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Job {}: looking for orphan Trino queries failed: {}", jobId, e.getMessage());
        }
    }

    /** Cancels every query of the job that Trino still runs, and waits until Trino says they ended. */
    private void cancelOrphans(String jobId) {
        List<QueryInfo> running = client.queriesTagged(TrinoClient.JOB_TAG + jobId).stream()
                .filter(q -> !q.done())
                .toList();
        for (QueryInfo query : running) {
            log.warn("Job {}: cancelling its earlier Trino query {} ({})", jobId, query.queryId(), query.state());
            client.cancel(query.queryId());
        }
        for (QueryInfo query : running) {
            awaitEnd(query.queryId());
        }
    }

    /** Waits until Trino says the query ended; throws after {@code cancel-timeout}. */
    private QueryInfo awaitEnd(String queryId) {
        long giveUpAt = System.nanoTime() + properties.cancelTimeout().toNanos();
        while (true) {
            Optional<QueryInfo> info = client.query(queryId);
            if (info.isEmpty() || info.get().done()) {
                // Unknown: forgotten after it ended, or never dispatched (a statement is dispatched
                // only once its client follows the first nextUri; a cancel through it ends it).
                return info.orElse(new QueryInfo(queryId, "NOT_KNOWN_TO_TRINO", null));
            }
            if (System.nanoTime() > giveUpAt) {
                throw new IllegalStateException(
                        "Trino query " + queryId + " did not end within " + properties.cancelTimeout()
                                + " of its cancel; it is " + info.get().state());
            }
            sleep(50);
        }
    }

    private static @Nullable String choose(
            String parameter, @Nullable String asked, @Nullable String fallback, List<String> allowed) {
        String chosen = asked == null || asked.isBlank() ? fallback : asked.strip();
        if (chosen != null && !allowed.isEmpty() && !allowed.contains(chosen)) {
            throw new JobRejectedException(
                    "the " + parameter + " " + chosen + " is not one the trino driver allows; allowed: " + allowed);
        }
        if (chosen == null && !allowed.isEmpty()) {
            throw new JobRejectedException(
                    "choose a " + parameter + " with the job parameter '" + parameter + "'; allowed: " + allowed);
        }
        return chosen;
    }

    private void forgetOldExecutions() {
        Instant horizon = clock.instant().minus(properties.keepFinished());
        executions.values().removeIf(e -> e.finishedAt != null && e.finishedAt.isBefore(horizon));
    }

    private Optional<Outcome> readOutcome(Path dir) {
        Path file = dir.resolve(OUTCOME_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            return Optional.of(new Outcome(
                    RemotePhase.valueOf(node.path("phase").asText()),
                    node.path("message").asText(null),
                    node.path("detail").asText(null),
                    node.path("queryId").asText(null),
                    node.path("infoUri").asText(null),
                    node.path("engineState").asText(null)));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private Optional<StagedJob> readJob(Path dir) {
        Path file = dir.resolve(JOB_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StagedJob.of(json.readTree(file.toFile())));
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private void writeOutcome(Path dir, Outcome outcome) {
        ObjectNode node = json.createObjectNode().put("phase", outcome.phase().name());
        node.put("message", outcome.message());
        node.put("detail", outcome.detail());
        node.put("queryId", outcome.queryId());
        node.put("infoUri", outcome.infoUri());
        node.put("engineState", outcome.engineState());
        try {
            write(dir.resolve(OUTCOME_FILE), json.writeValueAsBytes(node));
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot write the outcome of the Trino query into {}: {}", dir, e.toString());
        }
    }

    /** Writes {@code file} whole or not at all. */
    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.write(temporary, content);
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteResults(Path dir) {
        for (OutputFormat format : OutputFormat.values()) {
            deleteQuietly(dir.resolve("result." + format.wireName()));
        }
        deleteQuietly(dir.resolve(ResultWriter.ROWS_FILE));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Could not delete {}", file, e);
        }
    }

    private static Path output(RunHandle handle) {
        String output = handle.attributes().get(OUTPUT);
        if (output == null) {
            throw new IllegalArgumentException("handle " + handle.remoteId() + " has no output directory");
        }
        return Path.of(URI.create(output));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Trino's states before a query runs. */
    private static RemotePhase phaseOf(@Nullable String state) {
        if (state == null) {
            return RemotePhase.PENDING;
        }
        return switch (state) {
            case "RUNNING", "FINISHING" -> RemotePhase.RUNNING;
            default -> RemotePhase.PENDING; // QUEUED, WAITING_FOR_RESOURCES, DISPATCHING, PLANNING, STARTING
        };
    }

    /**
     * The job as submit staged it.
     *
     * @param sql the statement as sent to Trino
     */
    record StagedJob(
            String sql,
            OutputFormat format,
            @Nullable String catalog,
            @Nullable String schema) {

        byte[] toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode()
                    .put("query", sql)
                    .put("format", format.name().toLowerCase(Locale.ROOT));
            node.put("catalog", catalog);
            node.put("schema", schema);
            try {
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static StagedJob of(JsonNode node) {
            return new StagedJob(
                    node.path("query").asText(),
                    OutputFormat.valueOf(node.path("format").asText().toUpperCase(Locale.ROOT)),
                    node.hasNonNull("catalog") ? node.get("catalog").asText() : null,
                    node.hasNonNull("schema") ? node.get("schema").asText() : null);
        }
    }

    /** How a query ended, as kept in {@value #OUTCOME_FILE}. */
    private record Outcome(
            RemotePhase phase,
            @Nullable String message,
            @Nullable String detail,
            @Nullable String queryId,
            @Nullable String infoUri,
            @Nullable String engineState) {

        RemoteStatus status() {
            return new RemoteStatus(phase, message, details(queryId, infoUri, engineState));
        }
    }

    private static @Nullable RemoteDetails details(
            @Nullable String queryId, @Nullable String infoUri, @Nullable String state) {
        return queryId == null ? null : new RemoteDetails(queryId, null, infoUri, null, null, state);
    }

    /**
     * One query: started at submit, its rows read on the runner's threads until it ends. Its
     * phase moves under the execution's lock, so a cancel and the end of the query cannot miss
     * each other: one that finished just as it was cancelled still counts as cancelled and leaves
     * no result file.
     */
    private final class Execution {

        private final String jobId;
        private final StagedJob job;
        private final Path dir;
        private final ResultWriter writer;
        private final Instant submittedAt = clock.instant();
        private final List<String> events = new ArrayList<>();
        private final String queryId;
        private volatile @Nullable String infoUri;
        /** Trino's word for the query's state, as last seen. */
        private volatile @Nullable String engineState;

        private volatile @Nullable URI nextUri;
        private Page page;
        private RemotePhase phase;
        private RemotePhase polledPhase;
        private @Nullable String message;
        private volatile @Nullable String detail;
        private boolean cancelRequested;
        private boolean abandoned;
        private boolean lost;
        private volatile Instant finishedAt;
        private @Nullable String lastState;
        private int lastProgressDecile = -1;

        Execution(String jobId, StagedJob job, Path dir, ResultWriter writer, Page first) {
            this.jobId = jobId;
            this.job = job;
            this.dir = dir;
            this.writer = writer;
            this.page = first;
            this.queryId = first.id();
            this.infoUri = first.infoUri();
            this.nextUri = first.nextUri();
            this.phase = phaseOf(first.state());
            this.polledPhase = RemotePhase.PENDING;
            note(first);
        }

        void run() {
            running.incrementAndGet();
            try {
                Page current = page;
                while (true) {
                    synchronized (this) {
                        if (lost) {
                            return;
                        }
                        if (cancelRequested || abandoned) {
                            break;
                        }
                        observe(current);
                    }
                    if (current.error() != null) {
                        failed(current.error());
                        return;
                    }
                    if (current.nextUri() == null) {
                        writer.finish();
                        succeeded(current);
                        return;
                    }
                    current = client.next(current.nextUri(), writer);
                }
                stopped();
            } catch (ResultTooLargeException e) {
                cancelInTrino();
                writer.discard();
                finish(RemotePhase.FAILED, e.getMessage(), null);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    if (cancelRequested || abandoned) {
                        stopped();
                        return;
                    }
                }
                log.warn("Job {}: reading the rows of Trino query {} failed: {}", jobId, queryId, e.toString());
                cancelInTrino();
                writer.discard();
                finish(RemotePhase.FAILED, "reading the result from Trino failed: " + e.getMessage(), null);
            } finally {
                running.decrementAndGet();
                writer.close();
            }
        }

        /** After a cancel or an abandon: the rows stop here, and so does the query. */
        private void stopped() {
            writer.discard();
            // Again, now that no one follows nextUri: a statement still queued when the cancel
            // came is only dispatched by the client's next request, which may have been in flight.
            try {
                cancelInTrino();
            } catch (RuntimeException e) {
                log.warn("Job {}: could not cancel Trino query {}: {}", jobId, queryId, e.getMessage());
            }
            synchronized (this) {
                if (abandoned && !cancelRequested) {
                    finishedAt = clock.instant();
                    moveTo(RemotePhase.CANCELLED); // in memory only: no outcome file, the job runs again
                    return;
                }
            }
            try {
                QueryInfo end = awaitEnd(queryId);
                engineState = end.state() + (end.errorName() == null ? "" : ": " + end.errorName());
            } catch (RuntimeException e) {
                log.warn("Job {}: Trino has not confirmed the end of query {}: {}", jobId, queryId, e.getMessage());
            }
            finish(RemotePhase.CANCELLED, "cancelled", null);
        }

        private void failed(TrinoError error) {
            writer.discard();
            synchronized (this) {
                if (cancelRequested || abandoned) {
                    stopped();
                    return;
                }
            }
            engineState = "FAILED: " + error.errorName();
            finish(RemotePhase.FAILED, error.describe(), detailOf(error));
        }

        private void succeeded(Page last) {
            synchronized (this) {
                if (cancelRequested || abandoned) {
                    stopped();
                    return;
                }
            }
            events.add(clock.instant() + " finished: " + writer.rows() + " rows, " + writer.bytes() + " bytes of CSV"
                    + (last.updateType() == null ? "" : ", " + last.updateType()));
            finish(RemotePhase.SUCCEEDED, null, null);
        }

        private String detailOf(TrinoError error) {
            return "Trino query " + queryId + " failed with " + error.errorName() + " (" + error.errorType() + "): "
                    + error.message() + (error.detail() == null ? "" : "\n" + error.detail());
        }

        /** Call with the lock held. */
        private void observe(Page current) {
            page = current;
            if (current.infoUri() != null) {
                infoUri = current.infoUri();
            }
            nextUri = current.nextUri();
            if (!phase.isTerminal()) {
                RemotePhase seen = phaseOf(current.state());
                if (seen != phase && seen == RemotePhase.RUNNING) {
                    moveTo(seen);
                }
            }
            note(current);
        }

        private void note(Page current) {
            String state = current.state();
            if (state != null) {
                engineState = state;
            }
            if (state != null && !state.equals(lastState)) {
                events.add(clock.instant() + " " + state + (lastState == null ? " (query " + queryId + ")" : ""));
                lastState = state;
            }
            if (current.progress() != null) {
                int decile = (int) Math.floor(current.progress() / 10);
                if (decile > lastProgressDecile && decile < 10) {
                    lastProgressDecile = decile;
                    events.add(clock.instant() + " " + String.format(Locale.ROOT, "%.0f%%", current.progress())
                            + ", " + current.processedRows() + " rows read by Trino, " + writer.rows()
                            + " written");
                }
            }
        }

        synchronized RemoteStatus status() {
            polledPhase = phase;
            return new RemoteStatus(phase, message, details(queryId, infoUri, engineState));
        }

        synchronized List<String> log() {
            List<String> lines = new ArrayList<>();
            lines.add(submittedAt + " query accepted" + (job.catalog() == null ? "" : ", catalog " + job.catalog())
                    + (job.schema() == null ? "" : ", schema " + job.schema()) + ":");
            List<String> queryLines = job.sql().lines().toList();
            queryLines.stream().limit(LOG_QUERY_LINES).map(line -> "  " + line).forEach(lines::add);
            if (queryLines.size() > LOG_QUERY_LINES) {
                lines.add("  ... (" + (queryLines.size() - LOG_QUERY_LINES) + " more lines)");
            }
            lines.addAll(events);
            if (phase.isTerminal() && finishedAt != null) {
                lines.add(finishedAt + " " + phase + (message == null ? "" : ": " + message));
                if (detail != null) {
                    detail.lines().forEach(line -> lines.add("  " + line));
                }
            }
            return lines;
        }

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

        /** Cancels the query, and returns once Trino confirmed it ended and the rows stopped. */
        void cancel() {
            synchronized (this) {
                if (phase == RemotePhase.CANCELLED) {
                    return;
                }
                if (phase == RemotePhase.FAILED) {
                    return;
                }
                cancelRequested = true;
            }
            if (cancelledAfterSuccess()) {
                return;
            }
            cancelInTrino();
            // The rows stop, and the reader cancels again and waits for Trino's word (stopped()).
            long giveUpAt = System.nanoTime() + 2 * properties.cancelTimeout().toNanos();
            synchronized (this) {
                while (!phase.isTerminal()) {
                    long left = (giveUpAt - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new IllegalStateException(
                                "the rows of Trino query " + queryId + " did not stop after its cancel");
                    }
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while cancelling job " + jobId, e);
                    }
                }
            }
            synchronized (this) {
                if (phase == RemotePhase.SUCCEEDED) {
                    cancelledAfterSuccess();
                    return;
                }
            }
            // Trino's word, whatever the reader saw: throws, and the cancel is tried again, if not yet.
            QueryInfo end = awaitEnd(queryId);
            log.info("Job {}: Trino query {} ended as {} {}", jobId, queryId, end.state(), end.errorName());
        }

        /**
         * A query that succeeded just as it was cancelled counts as cancelled all the same, and
         * keeps no result.
         */
        private boolean cancelledAfterSuccess() {
            synchronized (this) {
                if (phase != RemotePhase.SUCCEEDED) {
                    return phase.isTerminal();
                }
            }
            writer.discard();
            finish(RemotePhase.CANCELLED, "cancelled", null);
            return true;
        }

        /** Stops reading rows at once, leaving the query and the files as they are. */
        synchronized void lose() {
            lost = true;
        }

        /** Stops this worker's part (the worker shuts down), leaving no outcome: the job runs again. */
        void abandon() {
            synchronized (this) {
                if (phase.isTerminal()) {
                    return;
                }
                abandoned = true;
            }
            try {
                cancelInTrino();
            } catch (RuntimeException e) {
                log.warn("Job {}: could not cancel Trino query {}: {}", jobId, queryId, e.getMessage());
            }
        }

        /**
         * Cancels the query both ways: through its {@code nextUri} (the protocol's way, which also
         * reaches a statement Trino has not dispatched yet) and by its id.
         */
        private void cancelInTrino() {
            URI next = nextUri;
            RuntimeException failure = null;
            if (next != null) {
                try {
                    client.abandon(next);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            try {
                client.cancel(queryId);
            } catch (RuntimeException e) {
                if (next == null || failure != null) {
                    throw e;
                }
            }
        }

        private void finish(RemotePhase outcome, @Nullable String message, @Nullable String detail) {
            synchronized (this) {
                this.message = message;
                this.detail = detail;
                this.finishedAt = clock.instant();
            }
            writeOutcome(dir, new Outcome(outcome, message, detail, queryId, infoUri, engineState));
            synchronized (this) {
                moveTo(outcome);
            }
        }

        /** Call with the lock held. */
        private void moveTo(RemotePhase next) {
            phase = next;
            notifyAll();
        }
    }
}
