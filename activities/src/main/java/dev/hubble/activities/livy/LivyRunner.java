package dev.hubble.activities.livy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;

/**
 * Runs SQL jobs as Livy batches of the spark-job program ({@code hubble-spark-job.jar}).
 *
 * <p><b>Submit.</b> The job is staged as {@value #JOB_FILE} in its own result location (query,
 * format, location, job id, Hubble's API URL and the job's token: the token never goes into
 * arguments or Spark conf, which the Spark UI and Livy show), then {@code POST /batches} with the
 * jar, the class, the staged file's URI as the only argument, the configured conf, queue, proxy
 * user, memory and cores, and the name {@code <batch-name-prefix><job id>}. The name makes submit
 * idempotent: an existing batch of that name is returned instead (looked up first, and again on
 * Livy's 400 "Duplicate session name" when two submits race), so a job never gets two batches.
 * A job whose location already holds an outcome file has run already, and is not submitted again.
 *
 * <p><b>Poll</b> finds the batch by name, never by Livy's number, which a restarted Livy hands out
 * again from 0. Every Livy state is mapped explicitly ({@link LivyStates}). A failed batch's
 * message is spark-job's own from {@value #ERROR} (Spark's error, e.g.
 * {@code [PARSE_SYNTAX_ERROR] ...}), else Livy's state; {@link #diagnostics} gives the tail of the
 * batch log.
 *
 * <p><b>A running batch whose {@value #RESULT} is there has succeeded.</b> spark-job writes it
 * once the result is complete and listed, then stops Spark and exits, which a loaded machine
 * takes a second or more to do before Livy says {@code success}. Its push ({@code SUCCEEDED})
 * wakes a poll at once, and that poll, reading the file, ends the job without waiting for the
 * exit: this is most of what the push saves. (Only a cluster that runs the application again
 * after a failure in that exit, YARN's second attempt, would replace the files.) A failure is not
 * taken from {@value #ERROR} this early, since such a second attempt may yet succeed: it waits
 * for Livy.
 *
 * <p><b>A batch Livy does not know</b> (404) is decided from its location, because spark-job
 * writes an outcome file before its driver exits, on every way out it controls:
 * <ul>
 *   <li>{@value #RESULT}: it succeeded, and Livy forgot it since ({@code state-retain.sec} passed,
 *       or Livy restarted);
 *   <li>{@value #ERROR}: it failed with that message;
 *   <li>neither: it never finished. Once it has been unknown for {@code vanished-after}, counted
 *       from the last poll in this process that found it (or from the first that did not, when
 *       this process never saw it), it <em>vanished</em>: Livy restarted and took the Spark
 *       driver with it (local and client mode), or it was killed outside Hubble. The job then
 *       fails saying so. Before that it is {@code NOT_FOUND}: look again, in case the outcome is
 *       still on its way. A batch this process killed ({@link #cancel}) is {@code CANCELLED}.
 * </ul>
 *
 * <p><b>Cancel</b> is {@code DELETE /batches/{name}} within {@code cancel-timeout}; a batch Livy
 * does not know is taken as gone.
 *
 * <p>Errors: Livy refusing a batch (4xx) is a {@link JobRejectedException}; a 5xx, a timeout or
 * no answer is thrown as is and retried.
 *
 * <p><b>Where its state lives.</b> Thread-safe, and every call may land on another worker: what
 * decides a job's outcome is in Livy and in the job's location. This process remembers two things
 * only, neither of which decides an outcome the job workflow records: when it last saw each batch
 * (a worker that never saw a batch counts {@code vanished-after} from its own first miss, so a job
 * that moves between workers waits longer, never shorter, before it is called vanished), and which
 * batches it killed (so that its own later polls say {@code CANCELLED} rather than unknown; the
 * workflow itself ends a job it killed as {@code CANCELLED} once the kill is confirmed, without
 * polling again).
 */
public final class LivyRunner implements JobRunner {

    /** The driver name. */
    public static final String DRIVER = "spark";
    /** The staged job, in the job's location. */
    public static final String JOB_FILE = "_job.json";
    /** spark-job's outcome file when the job succeeded. */
    public static final String RESULT = "_RESULT.json";
    /** spark-job's outcome file when the job failed. */
    public static final String ERROR = "_ERROR.json";

    static final String OUTPUT = "output";
    static final String BATCH_ID = "batchId";

    private static final Logger log = LoggerFactory.getLogger(LivyRunner.class);

    private final LivyProperties properties;
    private final LivyClient livy;
    private final List<LocationFiles> files;
    private final JobTokens tokens;
    private final ObjectMapper json;
    private final Clock clock;
    /**
     * When this process last found each batch it submits or polls in Livy, by batch name: how long
     * a batch Livy no longer knows has been gone. An entry goes when its batch ends, is cancelled,
     * or has not been seen for a day (its job is polled elsewhere, or long over).
     */
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    /** When this process killed each batch, by name (Livy forgets a killed batch at once); pruned as {@link #lastSeen}. */
    private final Map<String, Instant> killed = new ConcurrentHashMap<>();

    public LivyRunner(LivyProperties properties, List<LocationFiles> files, JobTokens tokens, ObjectMapper json) {
        this(properties, files, tokens, json, Clock.systemUTC());
    }

    public LivyRunner(
            LivyProperties properties, List<LocationFiles> files, JobTokens tokens, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.livy = new LivyClient(properties, json);
        this.files = List.copyOf(files);
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    /** The batch name of a job: never all digits, the same on every call. */
    public String batchName(String jobId) {
        return properties.batchNamePrefix() + jobId;
    }

    /**
     * Stages the job and submits its batch, or returns the batch already submitted for it.
     *
     * @throws JobRejectedException when Livy refuses the batch (e.g. a jar outside its
     *     whitelist, refused credentials), or no {@link LocationFiles} serves the location
     */
    @Override
    public RunHandle submit(String jobId, JobSpec spec, URI output) {
        LocationFiles store = filesFor(output);
        String name = batchName(jobId);
        Optional<LivyBatch> existing = livy.find(name);
        if (existing.isPresent()) {
            log.info(
                    "Job {} already has Livy batch {} ({})",
                    jobId,
                    name,
                    existing.get().id());
            seen(name);
            return handle(name, output, existing.get());
        }
        if (store.read(output, RESULT).isPresent() || store.read(output, ERROR).isPresent()) {
            log.info("Job {} has run already (its location holds an outcome) and Livy has forgotten its batch", jobId);
            return handle(name, output, null);
        }
        store.write(output, JOB_FILE, jobFile(jobId, spec, output));
        LivyBatch batch;
        try {
            batch = livy.create(request(name, store.resolve(output, JOB_FILE)));
        } catch (LivyException e) {
            if (e.status() == 400 && e.getMessage().contains("Duplicate session name")) {
                // Another submit of this job got there first.
                batch = livy.find(name)
                        .orElseThrow(() -> new IllegalStateException(
                                "Livy says batch " + name + " exists but does not find it", e));
            } else if (e.isTransient()) {
                throw e;
            } else {
                throw new JobRejectedException("Livy refused the Spark batch: " + e.getMessage());
            }
        }
        log.info("Submitted job {} as Livy batch {} ({}), state {}", jobId, name, batch.id(), batch.state());
        seen(name);
        return handle(name, output, batch);
    }

    @Override
    public RemoteStatus poll(RunHandle handle) {
        Observation observation = observe(handle);
        return observation.details().isEmpty()
                ? observation.status()
                : observation.status().withDetails(observation.details());
    }

    /**
     * What a poll sees: the job's status and what Livy says about where it runs (batch id,
     * application id, Spark UI and driver log).
     */
    public Observation observe(RunHandle handle) {
        String name = handle.remoteId();
        Optional<LivyBatch> found = livy.find(name);
        if (found.isEmpty()) {
            return new Observation(forgotten(handle), RemoteDetails.NONE);
        }
        LivyBatch batch = found.get();
        seen(name);
        RemoteDetails details = new RemoteDetails(
                Integer.toString(batch.id()), batch.appId(), batch.sparkUiUrl(), batch.driverLogUrl());
        RemotePhase phase = LivyStates.phase(batch.state()).orElseGet(() -> {
            log.warn(
                    "Livy batch {} is in state '{}', which this driver does not know; taking it as running",
                    name,
                    batch.state());
            return RemotePhase.RUNNING;
        });
        if (phase == RemotePhase.RUNNING && hasResult(handle)) {
            // spark-job's result is complete; its driver is only stopping Spark and exiting.
            phase = RemotePhase.SUCCEEDED;
        }
        RemoteStatus status = switch (phase) {
            case FAILED ->
                new RemoteStatus(
                        phase,
                        reportedError(handle)
                                .map(Reported::message)
                                .orElse("the Spark batch ended in Livy state '" + batch.state()
                                        + "' without reporting an error"));
            case CANCELLED ->
                new RemoteStatus(phase, "the Spark batch was killed (Livy state '" + batch.state() + "')");
            default -> RemoteStatus.of(phase);
        };
        if (phase.isTerminal()) {
            lastSeen.remove(name);
        }
        return new Observation(status, details);
    }

    /** Kills the batch; a batch Livy does not know is gone already. Bounded by {@code cancel-timeout}. */
    @Override
    public void cancel(RunHandle handle) {
        boolean deleted = livy.delete(handle.remoteId());
        lastSeen.remove(handle.remoteId());
        remember(killed, handle.remoteId());
        log.info(deleted ? "Killed Livy batch {}" : "Livy batch {} was gone already", handle.remoteId());
    }

    /** The tail of the batch's log, or when Livy has forgotten it, the detail spark-job left. */
    /** Livy must answer a listing of its batches within the request timeout. */
    @Override
    public Map<String, Object> checkEngine() {
        return Map.of("url", properties.url().toString(), "batches", livy.batchCount());
    }

    @Override
    public Optional<String> diagnostics(RunHandle handle) {
        try {
            Optional<List<String>> lines = livy.log(handle.remoteId(), properties.logTailLines());
            if (lines.isPresent() && !lines.get().isEmpty()) {
                return Optional.of(String.join("\n", lines.get()).strip());
            }
        } catch (RuntimeException e) {
            log.warn("Could not read the log of Livy batch {}: {}", handle.remoteId(), e.getMessage());
        }
        return reportedError(handle).map(Reported::detail);
    }

    /** The tail of the batch's log as Livy keeps it (its last 200 lines at most). */
    @Override
    public List<String> logTail(RunHandle handle, int lines) {
        try {
            return livy.log(handle.remoteId(), lines).orElse(List.of());
        } catch (RuntimeException e) {
            log.warn("Could not read the log of Livy batch {}: {}", handle.remoteId(), e.getMessage());
            return List.of();
        }
    }

    /**
     * A batch Livy does not know: its location says how it ended, if it did; else it vanished
     * once unseen for {@code vanished-after} (see the class comment).
     */
    private RemoteStatus forgotten(RunHandle handle) {
        String name = handle.remoteId();
        if (killed.containsKey(name)) {
            // Whatever its driver wrote as it was stopped.
            return new RemoteStatus(RemotePhase.CANCELLED, "the Spark batch was killed on request");
        }
        URI output = output(handle);
        LocationFiles store = filesFor(output);
        if (store.read(output, RESULT).isPresent()) {
            lastSeen.remove(name);
            return RemoteStatus.of(RemotePhase.SUCCEEDED);
        }
        Optional<Reported> error = reportedError(handle);
        if (error.isPresent()) {
            lastSeen.remove(name);
            return new RemoteStatus(RemotePhase.FAILED, error.get().message());
        }
        Instant now = clock.instant();
        Duration unseen = Duration.between(lastSeen.computeIfAbsent(name, n -> now), now);
        if (unseen.compareTo(properties.vanishedAfter()) < 0) {
            return new RemoteStatus(
                    RemotePhase.NOT_FOUND,
                    "Livy does not know Spark batch " + name + " (unseen for " + unseen.toMillis()
                            + " ms) and the job left no " + RESULT + " or " + ERROR + " in its location yet");
        }
        lastSeen.remove(name);
        log.warn(
                "Livy batch {} vanished: unknown to Livy for {} ms, and no outcome in {}",
                name,
                unseen.toMillis(),
                output);
        return new RemoteStatus(
                RemotePhase.FAILED,
                "the Spark batch vanished: Livy no longer knows batch " + name
                        + " (unseen for " + unseen.toSeconds() + " s) and the job left no " + RESULT + " or " + ERROR
                        + " in its location; Livy or its host probably restarted and took the Spark driver with it, or the batch"
                        + " was killed outside Hubble");
    }

    /** Notes that Livy knows the batch now. */
    private void seen(String name) {
        remember(lastSeen, name);
    }

    /** Notes {@code name} with the time now; forgets names noted more than a day ago. */
    private void remember(Map<String, Instant> times, String name) {
        Instant now = clock.instant();
        times.put(name, now);
        if (times.size() > 1_000) {
            times.values().removeIf(when -> when.isBefore(now.minus(Duration.ofDays(1))));
        }
    }

    /**
     * Whether spark-job has written {@value #RESULT}; false when it cannot be read now (the next
     * poll looks again, and Livy's own state decides meanwhile).
     */
    private boolean hasResult(RunHandle handle) {
        URI output = output(handle);
        try {
            return filesFor(output).read(output, RESULT).isPresent();
        } catch (RuntimeException e) {
            log.debug("Could not read {} of Livy batch {}: {}", RESULT, handle.remoteId(), e.toString());
            return false;
        }
    }

    /** What spark-job wrote into {@value #ERROR}, when it did and it can be read. */
    private Optional<Reported> reportedError(RunHandle handle) {
        URI output = output(handle);
        Optional<byte[]> bytes;
        try {
            bytes = filesFor(output).read(output, ERROR);
        } catch (RuntimeException e) {
            log.warn("Could not read {} of Livy batch {}: {}", ERROR, handle.remoteId(), e.getMessage());
            return Optional.empty();
        }
        return bytes.map(content -> {
            try {
                JsonNode error = json.readTree(content);
                String message = error.path("message").asText("").strip();
                String detail = error.hasNonNull("detail") ? error.get("detail").asText() : null;
                return new Reported(message.isEmpty() ? "the Spark job failed" : message, detail);
            } catch (IOException e) {
                return new Reported("the Spark job failed, and its " + ERROR + " is not JSON", null);
            }
        });
    }

    private byte[] jobFile(String jobId, JobSpec spec, URI output) {
        ObjectNode job = json.createObjectNode()
                .put("jobId", jobId)
                .put("query", spec.query())
                .put("format", spec.format().name().toLowerCase(Locale.ROOT))
                .put("location", output.toString())
                .put("apiUrl", properties.apiUrl().toString().replaceAll("/+$", ""))
                .put("jobToken", tokens.issue(jobId, spec.timeout()));
        try {
            return json.writeValueAsBytes(job);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode request(String name, URI jobFile) {
        ObjectNode request = json.createObjectNode()
                .put("file", properties.jar().toString())
                .put("className", properties.className())
                .put("name", name);
        request.putArray("args").add(jobFile.toString());
        if (!properties.conf().isEmpty()) {
            ObjectNode conf = request.putObject("conf");
            properties.conf().forEach(conf::put);
        }
        putIfSet(request, "queue", properties.queue());
        putIfSet(request, "proxyUser", properties.proxyUser());
        putIfSet(request, "driverMemory", properties.driverMemory());
        putIfSet(request, "executorMemory", properties.executorMemory());
        if (properties.driverCores() != null) {
            request.put("driverCores", properties.driverCores());
        }
        if (properties.executorCores() != null) {
            request.put("executorCores", properties.executorCores());
        }
        if (properties.numExecutors() != null) {
            request.put("numExecutors", properties.numExecutors());
        }
        return request;
    }

    private static void putIfSet(ObjectNode node, String field, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    private static RunHandle handle(String name, URI output, @Nullable LivyBatch batch) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(OUTPUT, output.toString());
        if (batch != null) {
            attributes.put(BATCH_ID, Integer.toString(batch.id()));
        }
        return new RunHandle(DRIVER, name, attributes);
    }

    private static URI output(RunHandle handle) {
        String output = handle.attributes().get(OUTPUT);
        if (output == null) {
            throw new IllegalArgumentException("handle " + handle.remoteId() + " has no output location");
        }
        return URI.create(output);
    }

    private LocationFiles filesFor(URI location) {
        return files.stream()
                .filter(store -> store.supports(location))
                .findFirst()
                .orElseThrow(() -> new JobRejectedException("the spark driver cannot stage jobs into "
                        + location.getScheme() + ": locations in this worker; it serves "
                        + files.stream().map(f -> f.getClass().getSimpleName()).toList()));
    }

    /**
     * One poll's outcome: the status and what Livy said about where the job runs.
     *
     * @param status the phase and message
     * @param details batch id, application id, Spark UI and driver log, as far as known
     */
    public record Observation(RemoteStatus status, RemoteDetails details) {

        public Observation {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(details, "details");
        }
    }

    /** An error spark-job reported in {@value #ERROR}. */
    private record Reported(String message, @Nullable String detail) {}
}
