package dev.hubble.batchdev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP-level fake of AWS Batch and CloudWatch Logs for tests: the AWS SDK's {@code BatchClient}
 * and {@code CloudWatchLogsClient}, pointed at {@link #endpoint()}, talk to it as to AWS. It
 * really runs each job's container command as a local process, in a directory of its own, with
 * the job definition's environment plus the submit's container overrides (and of this JVM's
 * environment only {@code PATH}, {@code HOME} and {@code LANG}, where a container would have its
 * image's). What the process prints (stdout and stderr, as the {@code awslogs} driver takes both)
 * becomes the job's log stream in group {@value #LOG_GROUP}.
 *
 * <p>Jobs move {@code SUBMITTED → PENDING → RUNNABLE → STARTING → RUNNING → SUCCEEDED | FAILED},
 * one step per {@code step-delay}; a job whose name {@link #holdRunnable holds} stays RUNNABLE, as
 * on a queue whose compute environment never scales up. Batch's own rules are kept where a
 * driver depends on them: {@code CancelJob} does nothing once a job is STARTING or RUNNING,
 * {@code TerminateJob} kills the process (the job is FAILED with the given reason once it is
 * gone), {@code ListJobs} with a {@code JOB_NAME} filter answers jobs of every status,
 * {@code DescribeJobs} leaves unknown ids out, errors are {@code ClientException} (400) and
 * {@code ServerException} (500) with {@code x-amzn-ErrorType}, and an attempt longer than the
 * job's {@code timeout} is killed. Not modelled: array and multi-node jobs, retries, parameter
 * substitution, scheduling priorities, pagination.
 *
 * <p>Listens on 127.0.0.1 only. Thread-safe. {@link #close()} kills every process still running.
 */
public final class FakeBatch implements AutoCloseable {

    /** The log group of Batch jobs. */
    public static final String LOG_GROUP = "/aws/batch/job";
    /** The account in every ARN. */
    public static final String ACCOUNT = "000000000000";

    private static final Logger log = LoggerFactory.getLogger(FakeBatch.class);
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService ticker;
    private final String region;
    private final Duration stepDelay;
    private final Path workDir;
    private final Map<String, Definition> definitions;
    private final Collection<String> queues;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> lostAnswers = new CopyOnWriteArrayList<>();
    private volatile Predicate<JobView> held = job -> false;

    private FakeBatch(Builder builder) throws IOException {
        this.region = builder.region;
        this.stepDelay = builder.stepDelay;
        this.workDir = builder.workDir != null ? builder.workDir : Files.createTempDirectory("fake-batch");
        this.definitions = new ConcurrentHashMap<>(builder.definitions);
        this.queues = List.copyOf(builder.queues);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.handlers = Executors.newFixedThreadPool(4, daemon("fake-batch-http"));
        this.server.setExecutor(handlers);
        this.server.createContext("/", this::handle);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("fake-batch-scheduler"));
        long step = Math.max(1, stepDelay.toMillis() / 4);
        this.ticker.scheduleWithFixedDelay(this::advanceAll, step, step, TimeUnit.MILLISECONDS);
        this.server.start();
        log.info("Fake AWS Batch and CloudWatch Logs listen on {}", endpoint());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where both Batch and CloudWatch Logs answer, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The region in ARNs. */
    public String region() {
        return region;
    }

    /** Jobs that match stay RUNNABLE until this is changed (e.g. by queue or job definition). */
    public void holdRunnable(Predicate<JobView> jobs) {
        this.held = Objects.requireNonNull(jobs);
    }

    /**
     * Registers (or replaces) a job definition: the container's command and environment, what
     * the image and the definition would give it.
     */
    public void registerJobDefinition(String name, List<String> command, Map<String, String> environment) {
        definitions.put(name, new Definition(List.copyOf(command), Map.copyOf(environment), 0));
    }

    /**
     * The next call of {@code operation} does its work, then answers 500 {@code ServerException}
     * as if the answer were lost on the way: a caller that tries again without looking first
     * would do it twice.
     */
    public void loseNextAnswer(String operation) {
        lostAnswers.add(operation);
    }

    /**
     * The next {@code times} calls of {@code operation} (e.g. {@code SubmitJob},
     * {@code DescribeJobs}, {@code GetLogEvents}) answer {@code status} with error type
     * {@code type}, e.g. 500 {@code ServerException} or 429 {@code TooManyRequestsException}.
     */
    public void failNext(String operation, int times, int status, String type, String message) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(operation, status, type, message));
        }
    }

    /** Every operation called so far, in order, e.g. {@code SubmitJob}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The jobs submitted under {@code jobName}, oldest first. */
    public List<JobView> jobsNamed(String jobName) {
        return jobs.values().stream()
                .filter(j -> j.name.equals(jobName))
                .sorted(Comparator.comparingLong(j -> j.createdAt))
                .map(Job::view)
                .toList();
    }

    /** Every job, oldest first. */
    public List<JobView> jobs() {
        return jobs.values().stream()
                .sorted(Comparator.comparingLong(j -> j.createdAt))
                .map(Job::view)
                .toList();
    }

    /** A job, as it is now. */
    public Optional<JobView> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(Job::view);
    }

    /** Kills every process still running and stops listening. */
    @Override
    public void close() {
        server.stop(0);
        ticker.shutdownNow();
        handlers.shutdownNow();
        for (Job job : jobs.values()) {
            synchronized (job) {
                if (job.process != null && job.process.isAlive()) {
                    job.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    job.process.destroyForcibly();
                }
            }
        }
    }

    // -- HTTP ----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String path = exchange.getRequestURI().getPath();
            String operation = target != null ? target.substring(target.indexOf('.') + 1) : operationOf(path);
            boolean logs = target != null;
            calls.add(operation);
            JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
            if (request == null || request.isMissingNode()) {
                request = json.createObjectNode();
            }
            Answer answer;
            Optional<Fault> fault =
                    faults.stream().filter(f -> f.operation.equals(operation)).findFirst();
            if (fault.isPresent() && faults.remove(fault.get())) {
                answer = Answer.error(fault.get().status, fault.get().type, fault.get().message);
            } else {
                try {
                    answer = switch (operation) {
                        case "SubmitJob" -> submit(request);
                        case "DescribeJobs" -> describe(request);
                        case "ListJobs" -> list(request);
                        case "TerminateJob" -> terminate(request);
                        case "CancelJob" -> cancel(request);
                        case "DescribeJobQueues" -> describeQueues(request);
                        case "GetLogEvents" -> logEvents(request);
                        default ->
                            Answer.error(
                                    logs ? 400 : 404,
                                    logs ? "UnknownOperationException" : "ClientException",
                                    "the fake does not implement " + operation);
                    };
                } catch (RuntimeException e) {
                    log.warn("Fake Batch failed on {}", operation, e);
                    answer = Answer.error(500, logs ? "ServiceUnavailableException" : "ServerException", e.toString());
                }
            }
            if (answer.status == 200 && lostAnswers.remove(operation)) {
                log.info("Fake Batch did {} and now answers as if its answer were lost", operation);
                answer = Answer.error(500, "ServerException", "the answer was lost");
            }
            byte[] body = json.writeValueAsBytes(answer.body);
            exchange.getResponseHeaders().set("Content-Type", logs ? "application/x-amz-json-1.1" : "application/json");
            exchange.getResponseHeaders()
                    .set("x-amzn-RequestId", UUID.randomUUID().toString());
            if (answer.errorType != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.errorType);
            }
            exchange.sendResponseHeaders(answer.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String operationOf(String path) {
        return switch (path.replaceAll("/+$", "")) {
            case "/v1/submitjob" -> "SubmitJob";
            case "/v1/describejobs" -> "DescribeJobs";
            case "/v1/listjobs" -> "ListJobs";
            case "/v1/terminatejob" -> "TerminateJob";
            case "/v1/canceljob" -> "CancelJob";
            case "/v1/describejobqueues" -> "DescribeJobQueues";
            default -> path;
        };
    }

    /** The named queues it has (all of them when none is named), each ENABLED and VALID; unknown names are left out. */
    private Answer describeQueues(JsonNode request) {
        List<String> asked = new ArrayList<>();
        request.path("jobQueues").forEach(queue -> asked.add(shortName(queue.asText(""))));
        var answer = json.createObjectNode();
        var found = answer.putArray("jobQueues");
        for (String queue : asked.isEmpty() ? List.copyOf(queues) : asked) {
            if (queues.contains(queue)) {
                found.addObject()
                        .put("jobQueueName", queue)
                        .put("jobQueueArn", "arn:aws:batch:eu-west-1:123456789012:job-queue/" + queue)
                        .put("state", "ENABLED")
                        .put("status", "VALID")
                        .put("priority", 1);
            }
        }
        return Answer.ok(answer);
    }

    private Answer submit(JsonNode request) {
        String name = request.path("jobName").asText("");
        String queue = shortName(request.path("jobQueue").asText(""));
        String definitionName =
                shortName(request.path("jobDefinition").asText("")).replaceAll(":\\d+$", "");
        if (!JOB_NAME.matcher(name).matches()) {
            return Answer.client("Error executing request, Exception : JobName must be 1 to 128 letters, numbers,"
                    + " hyphens and underscores, starting with a letter or number, got '" + name + "'");
        }
        if (!queues.contains(queue)) {
            return Answer.client("JobQueue " + request.path("jobQueue").asText("") + " not found.");
        }
        Definition definition = definitions.get(definitionName);
        if (definition == null) {
            return Answer.client(
                    "JobDefinition " + request.path("jobDefinition").asText("") + " not found.");
        }
        Map<String, String> environment = new LinkedHashMap<>(definition.environment);
        for (JsonNode variable : request.path("containerOverrides").path("environment")) {
            String key = variable.path("name").asText("");
            if (key.startsWith("AWS_BATCH")) {
                return Answer.client("Environment variable names starting with AWS_BATCH are reserved: " + key);
            }
            environment.put(key, variable.path("value").asText(""));
        }
        List<String> command = new ArrayList<>(definition.command);
        JsonNode overridden = request.path("containerOverrides").path("command");
        if (overridden.isArray() && !overridden.isEmpty()) {
            command.clear();
            overridden.forEach(part -> command.add(part.asText()));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        request.path("tags")
                .fields()
                .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        int timeout = request.path("timeout").path("attemptDurationSeconds").asInt(definition.timeoutSeconds);
        Job job = new Job(
                UUID.randomUUID().toString(),
                name,
                queue,
                definitionName,
                command,
                environment,
                tags,
                timeout,
                System.currentTimeMillis());
        jobs.put(job.id, job);
        log.info("Fake Batch job {} ({}) SUBMITTED on {}", job.id, name, queue);
        ObjectNode answer = json.createObjectNode()
                .put("jobArn", jobArn(job.id))
                .put("jobName", name)
                .put("jobId", job.id);
        return Answer.ok(answer);
    }

    private Answer describe(JsonNode request) {
        ArrayNode found = json.createArrayNode();
        for (JsonNode id : request.path("jobs")) {
            Job job = jobs.get(shortName(id.asText()));
            if (job != null) {
                found.add(detail(job));
            }
        }
        ObjectNode answer = json.createObjectNode();
        answer.set("jobs", found);
        return Answer.ok(answer);
    }

    private Answer list(JsonNode request) {
        String queue = shortName(request.path("jobQueue").asText(""));
        if (queue.isEmpty()) {
            return Answer.client("one of jobQueue, arrayJobId or multiNodeJobId must be given");
        }
        List<String> names = new ArrayList<>();
        boolean filtered = false;
        for (JsonNode filter : request.path("filters")) {
            if (!"JOB_NAME".equals(filter.path("name").asText())) {
                return Answer.client("the fake filters only by JOB_NAME, not "
                        + filter.path("name").asText());
            }
            filtered = true;
            filter.path("values").forEach(v -> names.add(v.asText()));
        }
        String status = request.path("jobStatus").asText("RUNNING");
        boolean byName = filtered;
        ArrayNode summaries = json.createArrayNode();
        jobs.values().stream()
                .filter(j -> j.queue.equals(queue))
                .filter(j -> byName
                        ? names.stream().anyMatch(n -> matches(n, j.name))
                        : j.view().status().equals(status))
                .sorted(Comparator.comparingLong((Job j) -> j.createdAt).reversed())
                .forEach(j -> summaries.add(summary(j)));
        ObjectNode answer = json.createObjectNode();
        answer.set("jobSummaryList", summaries);
        return Answer.ok(answer);
    }

    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*")
                ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }

    private Answer terminate(JsonNode request) {
        Job job = jobs.get(shortName(request.path("jobId").asText("")));
        String reason = request.path("reason").asText("");
        if (reason.isEmpty()) {
            return Answer.client("reason is required");
        }
        if (job != null) {
            job.terminate(reason);
        }
        return Answer.ok(json.createObjectNode());
    }

    private Answer cancel(JsonNode request) {
        Job job = jobs.get(shortName(request.path("jobId").asText("")));
        String reason = request.path("reason").asText("");
        if (reason.isEmpty()) {
            return Answer.client("reason is required");
        }
        if (job != null) {
            job.cancel(reason);
        }
        return Answer.ok(json.createObjectNode());
    }

    private Answer logEvents(JsonNode request) {
        String group = request.path("logGroupName").asText("");
        String stream = request.path("logStreamName").asText("");
        Optional<Job> job =
                jobs.values().stream().filter(j -> stream.equals(j.logStream)).findFirst();
        if (!LOG_GROUP.equals(group) || job.isEmpty()) {
            return Answer.error(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        int limit = Math.min(10_000, Math.max(1, request.path("limit").asInt(10_000)));
        boolean fromHead = request.path("startFromHead").asBoolean(false);
        List<Event> events = List.copyOf(job.get().events);
        List<Event> page = fromHead
                ? events.subList(0, Math.min(limit, events.size()))
                : events.subList(Math.max(0, events.size() - limit), events.size());
        ArrayNode out = json.createArrayNode();
        page.forEach(e -> out.addObject()
                .put("timestamp", e.timestamp)
                .put("message", e.message)
                .put("ingestionTime", e.timestamp));
        ObjectNode answer = json.createObjectNode();
        answer.set("events", out);
        answer.put("nextForwardToken", "f/" + events.size()).put("nextBackwardToken", "b/0");
        return Answer.ok(answer);
    }

    private ObjectNode detail(Job job) {
        JobView view = job.view();
        ObjectNode node = summary(job);
        node.put("jobQueue", "arn:aws:batch:" + region + ":" + ACCOUNT + ":job-queue/" + job.queue)
                .put(
                        "jobDefinition",
                        "arn:aws:batch:" + region + ":" + ACCOUNT + ":job-definition/" + job.definition + ":1");
        node.putObject("parameters");
        ObjectNode tags = node.putObject("tags");
        job.tags.forEach(tags::put);
        if (job.timeoutSeconds > 0) {
            node.putObject("timeout").put("attemptDurationSeconds", job.timeoutSeconds);
        }
        ObjectNode container = (ObjectNode) node.get("container");
        container.put("image", "fake/" + job.definition);
        ArrayNode command = container.putArray("command");
        job.command.forEach(command::add);
        ArrayNode environment = container.putArray("environment");
        job.environment.forEach((k, v) -> environment.addObject().put("name", k).put("value", v));
        if (view.logStream() != null) {
            container.put("logStreamName", view.logStream());
        }
        node.putArray("attempts");
        return node;
    }

    private ObjectNode summary(Job job) {
        JobView view = job.view();
        ObjectNode node = json.createObjectNode()
                .put("jobArn", jobArn(job.id))
                .put("jobId", job.id)
                .put("jobName", job.name)
                .put("createdAt", job.createdAt)
                .put("status", view.status());
        if (view.statusReason() != null) {
            node.put("statusReason", view.statusReason());
        }
        if (view.startedAt() != null) {
            node.put("startedAt", view.startedAt());
        }
        if (view.stoppedAt() != null) {
            node.put("stoppedAt", view.stoppedAt());
        }
        ObjectNode container = node.putObject("container");
        if (view.exitCode() != null) {
            container.put("exitCode", view.exitCode());
        }
        if (view.containerReason() != null) {
            container.put("reason", view.containerReason());
        }
        return node;
    }

    private String jobArn(String id) {
        return "arn:aws:batch:" + region + ":" + ACCOUNT + ":job/" + id;
    }

    /** The name at the end of an ARN, or the value itself. */
    private static String shortName(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    }

    // -- scheduling ----------------------------------------------------------------------------

    private void advanceAll() {
        long now = System.currentTimeMillis();
        for (Job job : jobs.values()) {
            try {
                job.advance(now);
            } catch (RuntimeException e) {
                log.warn("Fake Batch could not advance job {}", job.id, e);
            }
        }
    }

    private Map<String, String> processEnvironment(Job job) {
        Map<String, String> env = new LinkedHashMap<>();
        INHERITED.forEach(name -> {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        });
        env.put("AWS_BATCH_JOB_ID", job.id);
        env.put("AWS_BATCH_JQ_NAME", job.queue);
        env.put("AWS_BATCH_JOB_ATTEMPT", "1");
        env.putAll(job.environment);
        return env;
    }

    /** One job and its process. Guarded by its own monitor. */
    private final class Job {

        final String id;
        final String name;
        final String queue;
        final String definition;
        final List<String> command;
        final Map<String, String> environment;
        final Map<String, String> tags;
        final int timeoutSeconds;
        final long createdAt;
        final List<Event> events = new CopyOnWriteArrayList<>();
        private String status = "SUBMITTED";
        private long since;
        private String statusReason;
        private String containerReason;
        private Integer exitCode;
        private Long startedAt;
        private Long stoppedAt;
        private String logStream;
        private Process process;
        private String terminatedFor;

        Job(
                String id,
                String name,
                String queue,
                String definition,
                List<String> command,
                Map<String, String> environment,
                Map<String, String> tags,
                int timeoutSeconds,
                long createdAt) {
            this.id = id;
            this.name = name;
            this.queue = queue;
            this.definition = definition;
            this.command = List.copyOf(command);
            this.environment = Map.copyOf(environment);
            this.tags = Map.copyOf(tags);
            this.timeoutSeconds = timeoutSeconds;
            this.createdAt = createdAt;
            this.since = createdAt;
        }

        synchronized JobView view() {
            Long pid = process == null ? null : process.pid();
            return new JobView(
                    id,
                    name,
                    queue,
                    definition,
                    status,
                    statusReason,
                    exitCode,
                    containerReason,
                    logStream,
                    pid,
                    environment,
                    command,
                    tags,
                    startedAt,
                    stoppedAt);
        }

        synchronized void advance(long now) {
            if (now - since < stepDelay.toMillis()) {
                return;
            }
            switch (status) {
                case "SUBMITTED" -> move("PENDING", now);
                case "PENDING" -> move("RUNNABLE", now);
                case "RUNNABLE" -> {
                    if (!held.test(view())) {
                        logStream = definition + "/default/" + id.replace("-", "");
                        move("STARTING", now);
                    }
                }
                case "STARTING" -> start(now);
                case "RUNNING" -> {
                    if (timeoutSeconds > 0 && terminatedFor == null && now - startedAt > timeoutSeconds * 1000L) {
                        kill("Job attempt duration exceeded timeout");
                    }
                }
                default -> {
                    // SUCCEEDED and FAILED are final
                }
            }
        }

        private void move(String next, long now) {
            log.info("Fake Batch job {} ({}) {} -> {}", id, name, status, next);
            status = next;
            since = now;
        }

        private void start(long now) {
            Path dir = workDir.resolve(id);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(processEnvironment(this));
            try {
                Files.createDirectories(dir);
                process = builder.directory(dir.toFile()).start();
            } catch (IOException | RuntimeException e) {
                containerReason = "CannotStartContainerError: " + e.getMessage();
                statusReason = "Task failed to start";
                stoppedAt = now;
                move("FAILED", now);
                return;
            }
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // the process reads no input
            }
            startedAt = now;
            move("RUNNING", now);
            Process started = process;
            Thread reader = new Thread(() -> pump(started), "fake-batch-log-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        /** Turns the process's output into log events, then records how it ended. */
        private void pump(Process started) {
            try (var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    events.add(new Event(System.currentTimeMillis(), line));
                }
            } catch (IOException e) {
                events.add(new Event(System.currentTimeMillis(), "[fake batch] reading the output failed: " + e));
            }
            int exit;
            try {
                exit = started.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (this) {
                exitCode = exit;
                stoppedAt = System.currentTimeMillis();
                if (terminatedFor != null) {
                    statusReason = terminatedFor;
                    move("FAILED", stoppedAt);
                } else if (exit == 0) {
                    statusReason = "Essential container in task exited";
                    move("SUCCEEDED", stoppedAt);
                } else {
                    statusReason = "Essential container in task exited";
                    move("FAILED", stoppedAt);
                }
            }
        }

        synchronized void cancel(String reason) {
            if (List.of("SUBMITTED", "PENDING", "RUNNABLE").contains(status)) {
                statusReason = reason;
                stoppedAt = System.currentTimeMillis();
                move("FAILED", stoppedAt);
            }
        }

        synchronized void terminate(String reason) {
            if (List.of("SUBMITTED", "PENDING", "RUNNABLE", "STARTING").contains(status)) {
                statusReason = reason;
                stoppedAt = System.currentTimeMillis();
                move("FAILED", stoppedAt);
            } else if (status.equals("RUNNING")) {
                kill(reason);
            }
        }

        /** SIGTERM to the container's processes, SIGKILL after 2 s, as {@code docker stop} does. */
        private void kill(String reason) {
            if (terminatedFor != null) {
                return;
            }
            terminatedFor = reason;
            Process running = process;
            List<ProcessHandle> children = running.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            running.destroy();
            ticker.schedule(
                    () -> {
                        children.forEach(ProcessHandle::destroyForcibly);
                        running.destroyForcibly();
                    },
                    2,
                    TimeUnit.SECONDS);
        }
    }

    private record Event(long timestamp, String message) {}

    private record Fault(String operation, int status, String type, String message) {}

    private record Definition(List<String> command, Map<String, String> environment, int timeoutSeconds) {}

    private record Answer(int status, Object body, String errorType) {

        static Answer ok(Object body) {
            return new Answer(200, body, null);
        }

        static Answer client(String message) {
            return error(400, "ClientException", message);
        }

        static Answer error(int status, String type, String message) {
            return new Answer(status, Map.of("__type", type, "message", message), type);
        }
    }

    /**
     * A job as the fake sees it, for tests' assertions.
     *
     * @param pid the process's id once it was started
     */
    public record JobView(
            String jobId,
            String jobName,
            String queue,
            String definition,
            String status,
            String statusReason,
            Integer exitCode,
            String containerReason,
            String logStream,
            Long pid,
            Map<String, String> environment,
            List<String> command,
            Map<String, String> tags,
            Long startedAt,
            Long stoppedAt) {

        /** Whether the job's process still runs. */
        public boolean processAlive() {
            return pid != null
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** How a fake is set up. */
    public static final class Builder {

        private String region = "us-east-1";
        private Duration stepDelay = Duration.ofMillis(200);
        private Path workDir;
        private final Map<String, Definition> definitions = new LinkedHashMap<>();
        private final List<String> queues = new ArrayList<>();

        private Builder() {}

        /** The region in ARNs; {@code us-east-1} by default. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** How long a job stays in each state before its next; 200 ms by default. */
        public Builder stepDelay(Duration stepDelay) {
            this.stepDelay = stepDelay;
            return this;
        }

        /** Where the jobs' processes run, one directory each; a temporary directory by default. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** A job queue jobs may be submitted to. */
        public Builder queue(String name) {
            queues.add(name);
            return this;
        }

        /**
         * A registered job definition: the container's command and environment (what the image
         * and the definition would give it). Submits name it by name, {@code name:revision} or ARN.
         */
        public Builder jobDefinition(String name, List<String> command, Map<String, String> environment) {
            return jobDefinition(name, command, environment, 0);
        }

        /** A job definition with an attempt timeout in seconds (0: none). */
        public Builder jobDefinition(
                String name, List<String> command, Map<String, String> environment, int timeoutSeconds) {
            definitions.put(name, new Definition(List.copyOf(command), Map.copyOf(environment), timeoutSeconds));
            return this;
        }

        public FakeBatch start() {
            try {
                return new FakeBatch(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the fake AWS Batch", e);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
