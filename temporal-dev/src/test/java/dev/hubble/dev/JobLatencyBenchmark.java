package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobStateActivities;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.WatchRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What Hubble adds to a job, measured, not asserted, on one local stack in this JVM:
 *
 * <ul>
 *   <li>{@code select 42} on duckdb, acceptance to SUCCEEDED as the server recorded it, over
 *       sequential jobs, against a bare workflow that runs the same number of activities and
 *       local activities (counted from a job's own history) on the same Temporal test server,
 *       taken as the server recorded its start and close; and against the same work without the
 *       job workflow: a workflow that calls the job's activities (store, submit, look, collect) one
 *       after the other in one workflow task, with no gate. Jobs, bare workflows and the same work
 *       alternate, so all see the same machine. Each is waited for through its workflow's result,
 *       so no status reads compete with it, and the next starts once it has ended. Then the
 *       client's view: jobs waited for by reading their status every 5 ms, against bare workflows.
 *   <li>{@code GET /v1/jobs/{id}} of a finished job against {@code /actuator/info}, a trivial
 *       JSON endpoint of the same application, both warmed up, with wrk as the load generator.
 *   <li>{@code GET /v1/jobs/{id}} of a job waiting behind 10,000 others against reads of a running
 *       and a finished job.
 * </ul>
 *
 * <p>Not part of the normal build (tag {@code benchmark}). Run it with
 * {@code ./mvnw -pl temporal-dev -am verify -Dtest=JobLatencyBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dhubble.benchmark.jobs=N} for another number of jobs (default 200),
 * {@code -Dhubble.benchmark.results=local} for the API-served store instead of S3,
 * {@code -Dhubble.benchmark.queued=N} for another number of jobs waiting while a queued job is read
 * (default 10,000; 0 leaves that part out). The GET parts need
 * {@code wrk} on the PATH and is left out without it.
 */
@Tag("benchmark")
class JobLatencyBenchmark {

    private static final int JOBS = Integer.getInteger("hubble.benchmark.jobs", 200);
    private static final int WARM_UP = 50;
    /** Jobs and bare workflows waited for the way a client does: the status read every 5 ms. */
    private static final int CLIENT_ROUNDS = Math.max(1, JOBS / 2);
    /** The local stack's result store: {@code s3} (its default) or {@code local}. */
    private static final String RESULTS = System.getProperty("hubble.benchmark.results", "s3");

    private static final String BARE_QUEUE = "benchmark-bare";
    private static final String SAME_WORK_QUEUE = "benchmark-same-work";
    /** Jobs waiting in line when a queued job is read. */
    private static final int QUEUED = Integer.getInteger("hubble.benchmark.queued", 10_000);

    private static final int PYTHON_CONCURRENCY = 2;

    /** Jobs whose histories show where the time goes. */
    private static final int BREAKDOWN_JOBS = 50;

    /** Alternating rounds of reads of a job and of the trivial endpoint. */
    private static final int READ_ROUNDS = 3;

    @Test
    void selectFortyTwoAndStatusReads() throws Exception {
        try (LocalStack stack = LocalStack.start(
                Files.createTempDirectory("hubble-benchmark"),
                "--logging.level.dev.hubble=WARN",
                "--hubble.dev.results=" + RESULTS,
                "--hubble.drivers.local-python.concurrency=" + PYTHON_CONCURRENCY)) {
            WorkflowClient client = stack.context.getBean(WorkflowClient.class);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            Worker worker = factory.newWorker(BARE_QUEUE);
            worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
            worker.registerActivitiesImplementations(new NoOpActivities());
            Worker sameWork = factory.newWorker(SAME_WORK_QUEUE);
            sameWork.registerWorkflowImplementationTypes(SameWorkWorkflowImpl.class);
            sameWork.registerActivitiesImplementations(
                    stack.context.getBean(JobActivities.class), stack.context.getBean(JobStateActivities.class));
            factory.start();
            try {
                String first = runJob(stack);
                int[] shape = activityShape(client, first);
                for (int i = 0; i < WARM_UP; i++) {
                    runJob(stack);
                    runBare(client, shape);
                    runSameWork(client);
                }
                List<Long> jobs = new ArrayList<>();
                List<Long> bare = new ArrayList<>();
                List<Long> jobsSeen = new ArrayList<>();
                List<Long> bareSeen = new ArrayList<>();
                List<Long> same = new ArrayList<>();
                List<String> recent = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    // Waited for as the bare workflows are, so no reads compete with the job for the
                    // CPU, and each starts once the one before has ended.
                    String jobId = runJobToItsEnd(stack, client);
                    recent.add(jobId);
                    jobs.add(serverLatency(stack, jobId));
                    bare.add(runBare(client, shape));
                    same.add(runSameWork(client));
                }
                for (int i = 0; i < CLIENT_ROUNDS; i++) {
                    long start = System.nanoTime();
                    String jobId = runJob(stack);
                    jobsSeen.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    awaitEnd(client, jobId);
                    start = System.nanoTime();
                    runBare(client, shape);
                    bareSeen.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                System.out.printf(
                        "%n=== select 42 on duckdb, %d sequential jobs, results on %s, acceptance to SUCCEEDED"
                                + " (server-recorded) ===%n",
                        JOBS, RESULTS);
                System.out.printf(
                        "bare workflow: %d activities + %d local activities, same test server, same JVM%n",
                        shape[0], shape[1]);
                System.out.printf("%-14s %8s %8s %8s%n", "", "p50 ms", "p99 ms", "mean ms");
                print("hubble job", jobs);
                print("bare workflow", bare);
                System.out.printf(
                        "p50 ratio job/bare: x%.2f (what the job's work costs over Temporal's own); p99 ratio: x%.2f%n",
                        ratio(percentile(jobs, 50), percentile(bare, 50)),
                        ratio(percentile(jobs, 99), percentile(bare, 99)));
                System.out.println("the same work without the job workflow (one workflow task: store QUEUED, submit,"
                        + " store SUBMITTED, look until done (RUNNING stored), collect, store SUCCEEDED, no gate):");
                print("same work", same);
                System.out.printf(
                        "p50 ratio job/same work: x%.2f (what the job workflow adds; goal <= 1.5); p99 ratio: x%.2f%n",
                        ratio(percentile(jobs, 50), percentile(same, 50)),
                        ratio(percentile(jobs, 99), percentile(same, 99)));
                System.out.printf(
                        "as the client sees it, %d more of each (job: POST to a GET that shows SUCCEEDED, polled every"
                                + " 5 ms; bare: start to result, describe included):%n",
                        CLIENT_ROUNDS);
                print("hubble job", jobsSeen);
                print("bare workflow", bareSeen);
                System.out.printf(
                        "p50 ratio job/bare: x%.2f%n", ratio(percentile(jobsSeen, 50), percentile(bareSeen, 50)));
                breakdown(stack, client, recent);
                statusReads(stack, first);
                queuedReads(stack, first);
            } finally {
                factory.shutdownNow();
            }
        }
    }

    private static void statusReads(LocalStack stack, String jobId) throws Exception {
        if (!wrkInstalled()) {
            System.out.println("wrk is not installed: status reads not measured");
            return;
        }
        String job = stack.api.resolve("/v1/jobs/" + jobId).toString();
        String trivial = stack.api.resolve("/actuator/info").toString();
        // Both warmed up until the JIT settles, then measured in alternating rounds, so that a
        // burst of other work on the machine does not land on one side only.
        for (int i = 0; i < 3; i++) {
            wrk(job, 5);
            wrk(trivial, 5);
        }
        List<Double> jobRates = new ArrayList<>();
        List<Double> trivialRates = new ArrayList<>();
        for (int i = 0; i < READ_ROUNDS; i++) {
            jobRates.add(wrk(job, 10));
            trivialRates.add(wrk(trivial, 10));
        }
        double jobRate = median(jobRates);
        double trivialRate = median(trivialRates);
        System.out.printf(
                "%n=== status reads, wrk 2 threads 16 connections, median of %d alternating 10 s rounds after 30 s"
                        + " of warm-up ===%n",
                READ_ROUNDS);
        System.out.printf("GET /v1/jobs/{id} (SUCCEEDED, links signed): %.0f req/s %s%n", jobRate, rounded(jobRates));
        System.out.printf(
                "GET /actuator/info ({}):                     %.0f req/s %s%n", trivialRate, rounded(trivialRates));
        System.out.printf("ratio: x%.2f (goal >= 0.9)%n%n", jobRate / trivialRate);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    /**
     * Where a job's time goes: each step of the last jobs' histories (workflow tasks, signals,
     * timers, and each local activity when it completed), as the mean time since the job was
     * accepted, in the order they happen.
     */
    private static void breakdown(LocalStack stack, WorkflowClient client, List<String> jobIds) {
        List<String> sample = jobIds.subList(Math.max(0, jobIds.size() - BREAKDOWN_JOBS), jobIds.size());
        Map<String, List<Long>> offsets = new LinkedHashMap<>();
        for (String jobId : sample) {
            Instant accepted =
                    Instant.parse(stack.read(stack.get("/v1/jobs/" + jobId).body())
                            .get("createdAt")
                            .asText());
            Map<String, Integer> seen = new HashMap<>();
            for (HistoryEvent event : client.fetchHistory(jobId).getEvents()) {
                String step;
                long at;
                if (event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                        && event.getMarkerRecordedEventAttributes()
                                .getMarkerName()
                                .equals("LocalActivity")) {
                    Map<String, Payloads> details =
                            event.getMarkerRecordedEventAttributes().getDetailsMap();
                    step = "local activity " + payload(details.get("type")) + " done";
                    at = Long.parseLong(payload(details.get("time")));
                } else if (event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED) {
                    continue; // versions and side effects: recorded with their task, not steps of their own
                } else {
                    step = event.getEventType().name().substring("EVENT_TYPE_".length());
                    if (event.hasWorkflowExecutionSignaledEventAttributes()) {
                        step += " "
                                + event.getWorkflowExecutionSignaledEventAttributes()
                                        .getSignalName();
                    }
                    at = event.getEventTime().getSeconds() * 1000
                            + event.getEventTime().getNanos() / 1_000_000;
                }
                int n = seen.merge(step, 1, Integer::sum);
                offsets.computeIfAbsent(n == 1 ? step : step + " #" + n, k -> new ArrayList<>())
                        .add(at - accepted.toEpochMilli());
            }
        }
        System.out.printf("where the time goes, mean ms since acceptance over the last %d jobs:%n", sample.size());
        offsets.entrySet().stream()
                .map(e -> Map.entry(
                        e.getKey(),
                        e.getValue().stream()
                                .mapToLong(Long::longValue)
                                .average()
                                .orElse(0)))
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> System.out.printf("  %7.1f  %s%n", e.getValue(), e.getKey()));
    }

    private static String payload(Payloads payloads) {
        return payloads.getPayloads(0).getData().toStringUtf8().replace("\"", "");
    }

    /**
     * {@code GET} of a job waiting behind {@link #QUEUED} others against {@code GET} of a running
     * job (both read from the store) and of a finished one (served from memory): the place in
     * line comes from a snapshot of the gate, so it costs the same however long the line.
     */
    private static void queuedReads(LocalStack stack, String finished) throws Exception {
        if (!wrkInstalled() || QUEUED == 0) {
            return;
        }
        // Python jobs that sleep hold every permit of their driver without taking the CPU.
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < PYTHON_CONCURRENCY; i++) {
            holders.add(stack.submit(Map.of(
                    "query",
                    "sleeps",
                    "driver",
                    "local-python",
                    "source",
                    "benchmark",
                    "parameters",
                    Map.of("seconds", "3600"))));
        }
        for (String holder : holders) {
            stack.awaitState(holder, "RUNNING", Duration.ofMinutes(2));
        }
        long started = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(8);
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            queued.add(submitters.submit(
                    () -> stack.submit(Map.of("query", "hello", "driver", "local-python", "source", "benchmark"))));
        }
        String last = null;
        for (Future<String> job : queued) {
            last = job.get(10, TimeUnit.MINUTES);
        }
        submitters.shutdown();
        // Measured once every job has asked the gate: until then the machine is still busy with them.
        GateWorkflow gate = stack.context
                .getBean(WorkflowClient.class)
                .newWorkflowStub(GateWorkflow.class, Gates.workflowId("local-python"));
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (gate.snapshot().waiting() < QUEUED && System.nanoTime() < giveUpAt) {
            Thread.sleep(1_000);
        }
        long inLine = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        JsonNode seen;
        do {
            Thread.sleep(1_000);
            seen = stack.read(stack.get("/v1/jobs/" + last).body());
        } while (!seen.has("queuePosition") && System.nanoTime() < giveUpAt);
        System.out.printf(
                "%n=== reads with %d jobs waiting (all in line %d s after the first was submitted), wrk 2 threads"
                        + " 16 connections, median of %d alternating 10 s rounds ===%n",
                QUEUED, inLine, READ_ROUNDS);
        System.out.println("last job's place in line: " + seen.path("queuePosition"));
        String queuedUrl = stack.api.resolve("/v1/jobs/" + last).toString();
        String runningUrl = stack.api.resolve("/v1/jobs/" + holders.get(0)).toString();
        String finishedUrl = stack.api.resolve("/v1/jobs/" + finished).toString();
        List<String> urls = List.of(queuedUrl, runningUrl, finishedUrl);
        for (String url : urls) {
            wrk(url, 5);
        }
        List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < READ_ROUNDS; i++) {
            for (int u = 0; u < urls.size(); u++) {
                rates.get(u).add(wrk(urls.get(u), 10));
            }
        }
        double queuedRate = median(rates.get(0));
        double runningRate = median(rates.get(1));
        double finishedRate = median(rates.get(2));
        System.out.printf(
                "GET queued job:   %.0f req/s %s%nGET running job:  %.0f req/s %s%nGET finished job: %.0f req/s %s%n",
                queuedRate,
                rounded(rates.get(0)),
                runningRate,
                rounded(rates.get(1)),
                finishedRate,
                rounded(rates.get(2)));
        System.out.printf(
                "cost of a queued read: x%.2f a running one's, x%.2f a finished one's (goal <= 2)%n%n",
                runningRate / queuedRate, finishedRate / queuedRate);
    }

    private static boolean wrkInstalled() {
        try {
            return new ProcessBuilder("wrk", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    >= 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static double wrk(String url, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", url)
                .redirectErrorStream(true)
                .start();
        String out = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        assertThat(rate.find()).as(out).isTrue();
        assertThat(out).as("wrk saw errors").doesNotContain("Non-2xx");
        return Double.parseDouble(rate.group(1));
    }

    private static String runJob(LocalStack stack) {
        String jobId = submitSelect42(stack);
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < giveUpAt) {
            JsonNode job = stack.read(stack.get("/v1/jobs/" + jobId).body());
            if ("SUCCEEDED".equals(job.get("state").asText())) {
                return jobId;
            }
            try {
                // A short sleep, not a spin: reads must not take the CPU the job needs (2 cores).
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not succeed within a minute");
    }

    private static String submitSelect42(LocalStack stack) {
        return stack.submit(Map.of("query", "select 42 as answer", "driver", "duckdb", "source", "benchmark"));
    }

    /** Submits a job and waits, without reading its status, until its workflow has ended. */
    private static String runJobToItsEnd(LocalStack stack, WorkflowClient client) {
        String jobId = submitSelect42(stack);
        awaitEnd(client, jobId);
        String state =
                stack.read(stack.get("/v1/jobs/" + jobId).body()).get("state").asText();
        assertThat(state).as("job %s", jobId).isEqualTo("SUCCEEDED");
        return jobId;
    }

    private static void awaitEnd(WorkflowClient client, String jobId) {
        try {
            client.newUntypedWorkflowStub(jobId).getResult(1, TimeUnit.MINUTES, JsonNode.class);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("job " + jobId + " did not end within a minute", e);
        }
    }

    /** Acceptance to SUCCEEDED as the job's record has it. */
    private static long serverLatency(LocalStack stack, String jobId) {
        JsonNode job = stack.read(stack.get("/v1/jobs/" + jobId).body());
        return Duration.between(
                        Instant.parse(job.get("createdAt").asText()),
                        Instant.parse(job.get("updatedAt").asText()))
                .toMillis();
    }

    /** Activities and local activities in a job's history, once its workflow has completed. */
    private static int[] activityShape(WorkflowClient client, String jobId) {
        // The record shows SUCCEEDED before the run's last task completes: wait for the run.
        client.newUntypedWorkflowStub(jobId).getResult(JsonNode.class);
        int activities = 0;
        int local = 0;
        for (HistoryEvent event : client.fetchHistory(jobId).getEvents()) {
            if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
                activities++;
            } else if (event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                    && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
                local++;
            }
        }
        return new int[] {activities, local};
    }

    /** Runs one bare workflow and returns its start-to-close time as the server recorded it. */
    private static long runBare(WorkflowClient client, int[] shape) {
        BareWorkflow workflow = newWorkflow(client, BareWorkflow.class, BARE_QUEUE, "bare-" + UUID.randomUUID());
        workflow.run(shape[0], shape[1]);
        return startToClose(workflow);
    }

    private static <T> T newWorkflow(WorkflowClient client, Class<T> type, String queue, String id) {
        return client.newWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue(queue)
                        .build());
    }

    /** A finished workflow's start-to-close time as the server recorded it. */
    private static long startToClose(Object workflow) {
        WorkflowExecutionInfo info =
                WorkflowStub.fromTyped(workflow).describe().getRawDescription().getWorkflowExecutionInfo();
        return Duration.between(instant(info.getStartTime()), instant(info.getCloseTime()))
                .toMillis();
    }

    /**
     * Runs one job's work without the job workflow: the same activities, one after the other, in
     * one workflow task; returns its start-to-close time as the server recorded it.
     */
    private static long runSameWork(WorkflowClient client) {
        String id = "same-work-" + UUID.randomUUID();
        SameWorkWorkflow workflow = newWorkflow(client, SameWorkWorkflow.class, SAME_WORK_QUEUE, id);
        JobSpec spec = new JobSpec(
                "select 42 as answer",
                "duckdb",
                OutputFormat.CSV,
                "benchmark",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofMinutes(10),
                Map.of(),
                null,
                null);
        JobRecord done = workflow.run(id, spec);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        return startToClose(workflow);
    }

    private static Instant instant(com.google.protobuf.Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static void print(String name, List<Long> millis) {
        System.out.printf(
                "%-14s %8d %8d %8.1f%n",
                name,
                percentile(millis, 50),
                percentile(millis, 99),
                millis.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /** A workflow that only runs no-op activities, one after the other. */
    @WorkflowInterface
    public interface BareWorkflow {
        @WorkflowMethod(name = "BenchmarkBare")
        void run(int activities, int localActivities);
    }

    public static final class BareWorkflowImpl implements BareWorkflow {

        private final NoOp remote = Workflow.newActivityStub(
                NoOp.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .build());
        private final NoOp local = Workflow.newLocalActivityStub(
                NoOp.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .build());

        @Override
        public void run(int activities, int localActivities) {
            for (int i = 0; i < localActivities; i++) {
                local.noOp();
            }
            for (int i = 0; i < activities; i++) {
                remote.noOp();
            }
        }
    }

    /** A job's work done the plainest way: its activities, one after the other, no gate, no recorder. */
    @WorkflowInterface
    public interface SameWorkWorkflow {
        @WorkflowMethod(name = "BenchmarkSameWork")
        JobRecord run(String jobId, JobSpec spec);
    }

    public static final class SameWorkWorkflowImpl implements SameWorkWorkflow {

        private final LocalActivityOptions options = LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .build();
        private final JobActivities jobs = Workflow.newLocalActivityStub(JobActivities.class, options);
        private final JobStateActivities states = Workflow.newLocalActivityStub(JobStateActivities.class, options);

        @Override
        public JobRecord run(String jobId, JobSpec spec) {
            JobRecord record = JobRecord.accepted(jobId, spec, now());
            states.storeAndTryPublish(record);
            RunHandle handle = jobs.submit(jobId, spec);
            record = record.moveTo(JobState.SUBMITTED, now(), null, null);
            states.storeAndTryPublish(record);
            RemotePhase known = RemotePhase.PENDING;
            while (true) {
                RemoteStatus status = jobs.watch(
                        handle,
                        new WatchRequest(
                                known, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), Duration.ofSeconds(10), 3));
                if (status.phase() == RemotePhase.RUNNING && known != RemotePhase.RUNNING) {
                    known = RemotePhase.RUNNING;
                    record = record.moveTo(JobState.RUNNING, now(), null, null);
                    states.storeAndTryPublish(record);
                } else if (status.phase() == RemotePhase.SUCCEEDED) {
                    break;
                } else if (status.phase() != known) {
                    throw new IllegalStateException("the benchmark's query ended " + status.phase());
                }
            }
            JobResult result = jobs.collectResult(jobId, spec);
            record = record.moveTo(JobState.SUCCEEDED, now(), null, result);
            states.storeAndTryPublish(record);
            return record;
        }

        private static Instant now() {
            return Instant.ofEpochMilli(Workflow.currentTimeMillis());
        }
    }

    @ActivityInterface(namePrefix = "Benchmark")
    public interface NoOp {
        void noOp();
    }

    static final class NoOpActivities implements NoOp {
        @Override
        public void noOp() {}
    }
}
