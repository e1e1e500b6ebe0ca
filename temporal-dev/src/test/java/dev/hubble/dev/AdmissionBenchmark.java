package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import dev.hubble.dev.JobLatencyBenchmark.BareWorkflow;
import dev.hubble.dev.JobLatencyBenchmark.BareWorkflowImpl;
import dev.hubble.dev.JobLatencyBenchmark.NoOpActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What admission does under a spike, measured, not asserted: on a fresh local stack per driver
 * concurrency (4 and 16), each after a warm-up that is not measured,
 *
 * <ul>
 *   <li>the baseline: bare one-activity workflows on the same test server in the same JVM, started
 *       from the same number of client threads: their start rate and completion rate;
 *   <li>a burst of {@code select n} duckdb jobs from 16 clients: the API's accept rate, the drain
 *       rate (jobs over first acceptance to last final state), the stack's CPU per job (the JVM,
 *       whose servers run in it, plus its Redis; and without the benchmark's own client threads),
 *       and how far start order strays from acceptance order (median and largest displacement of
 *       a job's rank);
 *   <li>fairness: the time from acceptance to the last final state of 5 jobs of one source
 *       submitted a second after 500 of another, against the same 5 alone.
 * </ul>
 *
 * <p>Not part of the normal build (tag {@code benchmark}). Run it alone on a quiet machine with
 * {@code ./mvnw -pl temporal-dev -am verify -Dtest=AdmissionBenchmark -DexcludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false -Dexec.skip=true}; {@code -Dhubble.benchmark.jobs=N}
 * sets the burst size (default 1,000).
 */
@Tag("benchmark")
class AdmissionBenchmark {

    private static final int JOBS = Integer.getInteger("hubble.benchmark.jobs", 1_000);
    private static final int CLIENTS = 16;
    private static final int WARM_UP = 300;
    private static final String BARE_QUEUE = "benchmark-admission-bare";

    private record Figures(
            int concurrency,
            double bareStartRate,
            double bareCompletionRate,
            double acceptRate,
            double drainRate,
            double cpuMsPerJob,
            double redisCpuMsPerJob,
            double clientCpuMsPerJob,
            double bareCpuMsPerWorkflow,
            int medianDisplacement,
            int maxDisplacement,
            Duration fewAfterMany,
            Duration fewAlone) {}

    @Test
    void admissionUnderASpike() throws Exception {
        List<Figures> runs = new ArrayList<>();
        for (int concurrency : new int[] {4, 16}) {
            runs.add(run(concurrency));
        }
        System.out.printf(
                "%n=== Hubble admission benchmark: %d duckdb jobs from %d clients, 2 cores ===%n", JOBS, CLIENTS);
        System.out.printf(
                "%-12s %10s %10s %10s %10s %9s %9s %9s %9s %9s %9s %11s %11s%n",
                "concurrency",
                "bare st/s",
                "bare end/s",
                "accept/s",
                "drain/s",
                "cpu ms",
                "redis ms",
                "client ms",
                "bare cpu",
                "disp p50",
                "disp max",
                "5 after 500",
                "5 alone");
        for (Figures f : runs) {
            System.out.printf(
                    "%-12d %10.1f %10.1f %10.1f %10.1f %9.1f %9.1f %9.1f %9.1f %9d %9d %9.2fs %9.2fs%n",
                    f.concurrency(),
                    f.bareStartRate(),
                    f.bareCompletionRate(),
                    f.acceptRate(),
                    f.drainRate(),
                    f.cpuMsPerJob(),
                    f.redisCpuMsPerJob(),
                    f.clientCpuMsPerJob(),
                    f.bareCpuMsPerWorkflow(),
                    f.medianDisplacement(),
                    f.maxDisplacement(),
                    f.fewAfterMany().toMillis() / 1000.0,
                    f.fewAlone().toMillis() / 1000.0);
        }
        for (Figures f : runs) {
            System.out.printf(
                    "concurrency %d: accept x%.2f of the bare start rate; drain x%.2f of the bare completion rate;"
                            + " stack CPU per job %.1f ms (JVM %.1f less the benchmark's clients %.1f, plus Redis %.1f),"
                            + " x%.1f a bare workflow's%n",
                    f.concurrency(),
                    f.acceptRate() / f.bareStartRate(),
                    f.drainRate() / f.bareCompletionRate(),
                    f.cpuMsPerJob() - f.clientCpuMsPerJob() + f.redisCpuMsPerJob(),
                    f.cpuMsPerJob(),
                    f.clientCpuMsPerJob(),
                    f.redisCpuMsPerJob(),
                    (f.cpuMsPerJob() - f.clientCpuMsPerJob()) / Math.max(0.01, f.bareCpuMsPerWorkflow()));
        }
        System.out.println();
    }

    private static Figures run(int concurrency) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hubble-admission-benchmark");
        try (LocalStack stack = LocalStack.start(
                dir,
                "--hubble.drivers.duckdb.concurrency=" + concurrency,
                "--hubble.drivers.duckdb.parallel-queries=16",
                "--logging.level.dev.hubble=WARN")) {
            WorkflowClient client = stack.context.getBean(WorkflowClient.class);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            Worker worker = factory.newWorker(BARE_QUEUE);
            worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
            worker.registerActivitiesImplementations(new NoOpActivities());
            factory.start();
            try {
                // Warm-up, not measured: the JIT, the pools, the gate's first start.
                bare(client, WARM_UP);
                burst(stack, "warm-up", WARM_UP);

                Cpu before = Cpu.now();
                double[] bare = bare(client, JOBS);
                Cpu afterBare = Cpu.now();

                Cpu beforeBurst = Cpu.now();
                String source = "burst-" + UUID.randomUUID();
                Timed burst = burst(stack, source, JOBS);
                Cpu afterBurst = Cpu.now();

                List<JobRecord> finished = burst.finished();
                assertThat(Burst.count(finished, JobState.SUCCEEDED)).isEqualTo(JOBS);
                int[] displacement = displacement(stack, finished);

                Duration fewAfterMany = fewAfterMany(stack);
                Duration fewAlone = few(stack, "alone-" + UUID.randomUUID());

                return new Figures(
                        concurrency,
                        bare[0],
                        bare[1],
                        JOBS / burst.acceptSeconds(),
                        JOBS / burst.drainSeconds(),
                        afterBurst.jvmMillis(beforeBurst) / JOBS,
                        afterBurst.redisMillis(beforeBurst) / JOBS,
                        burst.clientCpuMillis() / JOBS,
                        afterBare.jvmMillis(before) / JOBS,
                        displacement[0],
                        displacement[1],
                        fewAfterMany,
                        fewAlone);
            } finally {
                factory.shutdownNow();
            }
        }
    }

    /** Starts {@code count} bare workflows from the clients; returns {start rate, completion rate}. */
    private static double[] bare(WorkflowClient client, int count) throws InterruptedException {
        List<WorkflowStub> stubs = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        inParallel(count, i -> {
            BareWorkflow workflow = client.newWorkflowStub(
                    BareWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(BARE_QUEUE)
                            .setWorkflowId("bare-" + UUID.randomUUID())
                            .build());
            WorkflowClient.start(workflow::run, 1, 0);
            stubs.add(WorkflowStub.fromTyped(workflow));
        });
        long started = System.nanoTime();
        for (WorkflowStub stub : stubs) {
            stub.getResult(Void.class);
        }
        long ended = System.nanoTime();
        return new double[] {count / ((started - start) / 1e9), count / ((ended - start) / 1e9)};
    }

    private record Timed(double acceptSeconds, double drainSeconds, double clientCpuMillis, List<JobRecord> finished) {}

    /** Submits {@code count} jobs of {@code source} from the clients and waits until all have ended. */
    private static Timed burst(LocalStack stack, String source, int count) throws InterruptedException {
        Instant start = Instant.now();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long clientCpu = inParallel(count, i -> ids.add(submit(stack, source, i)));
        Instant accepted = Instant.now();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long waiterCpu = threads.getCurrentThreadCpuTime();
        List<JobRecord> finished = awaitEnded(stack, ids);
        waiterCpu = threads.getCurrentThreadCpuTime() - waiterCpu;
        System.out.printf("BURST %s from %s to %s%n", source, start, Instant.now());
        Instant last = finished.stream()
                .map(JobRecord::updatedAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        return new Timed(
                Duration.between(start, accepted).toNanos() / 1e9,
                Duration.between(start, last).toNanos() / 1e9,
                (clientCpu + waiterCpu) / 1e6,
                finished);
    }

    /**
     * Waits for each job through its workflow's result, a long poll that costs the client no CPU
     * while it waits (status reads in a loop would compete with the jobs for the 2 cores).
     */
    private static List<JobRecord> awaitEnded(LocalStack stack, List<String> ids) {
        WorkflowClient client = stack.context.getBean(WorkflowClient.class);
        List<JobRecord> records = new ArrayList<>();
        for (String id : ids) {
            records.add(client.newUntypedWorkflowStub(id).getResult(JobRecord.class));
        }
        return records;
    }

    private static String submit(LocalStack stack, String source, int i) {
        var response = stack.post(
                "/v1/jobs", Map.of("query", "select " + i + " as n", "driver", "duckdb", "source", source), Map.of());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("job " + i + " refused: " + response.body());
        }
        return stack.read(response.body()).get("jobId").asText();
    }

    /**
     * How far each job's start (its SUBMITTED event) strays from its acceptance, in ranks:
     * {median, largest}.
     */
    private static int[] displacement(LocalStack stack, List<JobRecord> finished) {
        Set<String> ids = finished.stream().map(JobRecord::jobId).collect(Collectors.toSet());
        Map<String, Instant> started = await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> {
                            Map<String, Instant> seen = new HashMap<>();
                            for (StatusEventLog.Event event :
                                    stack.statusEvents().all()) {
                                if (event.state().equals("SUBMITTED") && ids.contains(event.jobId())) {
                                    seen.putIfAbsent(
                                            event.jobId(),
                                            Instant.parse(event.data()
                                                    .get("updatedAt")
                                                    .asText()));
                                }
                            }
                            return seen;
                        },
                        seen -> seen.size() == ids.size());
        List<String> byAcceptance = finished.stream()
                .sorted(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::jobId))
                .map(JobRecord::jobId)
                .toList();
        List<String> byStart = byAcceptance.stream()
                .sorted(Comparator.comparing((String id) -> started.get(id)).thenComparing(id -> id))
                .toList();
        Map<String, Integer> startRank = new HashMap<>();
        for (int i = 0; i < byStart.size(); i++) {
            startRank.put(byStart.get(i), i);
        }
        List<Integer> moved = new ArrayList<>();
        for (int i = 0; i < byAcceptance.size(); i++) {
            moved.add(Math.abs(startRank.get(byAcceptance.get(i)) - i));
        }
        Collections.sort(moved);
        return new int[] {moved.get(moved.size() / 2), moved.get(moved.size() - 1)};
    }

    /** 500 jobs of one source, then a second later 5 of another: how long the 5 took. */
    private static Duration fewAfterMany(LocalStack stack) throws InterruptedException {
        String many = "many-" + UUID.randomUUID();
        List<String> manyIds = Collections.synchronizedList(new ArrayList<>());
        inParallel(500, i -> manyIds.add(submit(stack, many, i)));
        Thread.sleep(1_000);
        Duration few = few(stack, "few-" + UUID.randomUUID());
        awaitEnded(stack, manyIds);
        return few;
    }

    /** Submits 5 jobs of {@code source}: from the first acceptance to the last final state. */
    private static Duration few(LocalStack stack, String source) throws InterruptedException {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        inParallel(5, i -> ids.add(submit(stack, source, i)));
        List<JobRecord> done = awaitEnded(stack, ids);
        Instant first = done.stream()
                .map(JobRecord::createdAt)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant last = done.stream()
                .map(JobRecord::updatedAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        return Duration.between(first, last);
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code task} for 0..count-1 on the client threads; returns the CPU nanoseconds they spent. */
    private static long inParallel(int count, Task task) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong cpu = new AtomicLong();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(pool.submit(() -> {
                    long own = threads.getCurrentThreadCpuTime();
                    try {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            task.run(i);
                        }
                    } finally {
                        cpu.addAndGet(threads.getCurrentThreadCpuTime() - own);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return cpu.get();
    }

    /** CPU time of this JVM and of the Redis server it started, at one moment. */
    private record Cpu(long jvmNanos, long redisNanos) {

        static Cpu now() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Cpu(os.getProcessCpuTime(), redisCpuNanos());
        }

        double jvmMillis(Cpu before) {
            return (jvmNanos - before.jvmNanos) / 1e6;
        }

        double redisMillis(Cpu before) {
            return (redisNanos - before.redisNanos) / 1e6;
        }

        /** utime + stime of the child redis-server processes, from /proc (clock ticks of 10 ms). */
        private static long redisCpuNanos() {
            return ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().command().orElse("").contains("redis"))
                    .mapToLong(p -> {
                        try {
                            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                            String[] fields =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
                        } catch (IOException | RuntimeException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }
}
