package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.dev.StatusEventLog.Event;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * A worker process killed with SIGKILL while it runs jobs of every kind, and a new one started in
 * its place. The workflows go on in the new process, and every job ends in its true state:
 *
 * <ul>
 *   <li>a DuckDB query ran inside the dead process and died with it: its job FAILED, saying so;
 *   <li>a local Python process outlived the dead worker: the new worker kills it and its job
 *       FAILED, saying so, and no such process is left running;
 *   <li>a remote (Spark, through Livy) job ran on unharmed: the new worker finds it and its job
 *       SUCCEEDED, and no job was submitted twice ({@link FakeLivy} counts every submit);
 *   <li>jobs submitted while no worker ran wait for one, then succeed.
 * </ul>
 *
 * <p>The stack (Temporal test server, Redis, Kafka, S3, the API) runs in this JVM without worker
 * pools of its own; the workers are the real worker application, each in its own JVM. They run
 * without a workflow cache and so without a sticky task queue ({@code
 * hubble.worker.workflow-cache-size=0}): the Temporal test server never moves a workflow task off
 * the sticky queue of a worker that died (a real server does after 5 s), so with a sticky queue
 * the dead worker's workflows would wait for ever, which is the test server's limitation and not
 * what production does.
 */
class WorkflowsSurviveAKilledWorkerTest {

    private static final Logger log = LoggerFactory.getLogger(WorkflowsSurviveAKilledWorkerTest.class);
    /** Hours of counting: it only ends when cancelled or timed out (10^11 rows took 36 s on 2 cores). */
    private static final String LONG_QUERY = "select count(*) from range(100000000000000)";

    private static final Duration AFTER_RESTART = Duration.ofSeconds(240);

    @Test
    void everyJobOfAKilledWorkerEndsInItsTrueStateOnTheNextWorker(@TempDir Path tmp) {
        try (FakeLivy livy = FakeLivy.start()) {
            List<String> spark = List.of(
                    "--hubble.drivers.spark.enabled=true",
                    "--hubble.drivers.spark.results=local",
                    "--hubble.drivers.spark.livy.url=" + livy.url(),
                    "--hubble.drivers.spark.livy.jar=file:///opt/hubble/hubble-spark-job.jar",
                    "--hubble.drivers.spark.poll-initial=200ms",
                    "--hubble.drivers.spark.poll-max=2s");
            List<String> stackArgs = new ArrayList<>(spark);
            stackArgs.add("--hubble.worker.enabled=false");
            try (LocalStack stack = LocalStack.start(tmp.resolve("data"), stackArgs.toArray(String[]::new))) {
                Map<String, String> settings = workerSettings(stack, spark);
                run(stack, livy, tmp.resolve("workers"), settings);
            }
        }
    }

    private void run(LocalStack stack, FakeLivy livy, Path workers, Map<String, String> settings) {
        String source = "killed-worker-" + UUID.randomUUID();
        Map<String, String> expectedEnd = new LinkedHashMap<>();
        List<String> duckdbRunning = new ArrayList<>();
        List<String> pythonRunning = new ArrayList<>();
        List<String> sparkJobs = new ArrayList<>();
        List<ProcessHandle> pythonProcesses;

        ChildWorker first = ChildWorker.start(workers, "first", settings);
        try {
            String done = stack.submit(job("duckdb", "select 1", source, Map.of()));
            stack.awaitState(done, "SUCCEEDED", Duration.ofSeconds(120));
            expectedEnd.put(done, "SUCCEEDED");
            for (int i = 0; i < 2; i++) {
                duckdbRunning.add(stack.submit(job("duckdb", LONG_QUERY, source, Map.of())));
                pythonRunning.add(stack.submit(job("local-python", "sleeps", source, Map.of("seconds", "600"))));
                sparkJobs.add(stack.submit(job("spark", "select " + i, source, Map.of())));
            }
            duckdbRunning.forEach(id -> expectedEnd.put(id, "FAILED"));
            pythonRunning.forEach(id -> expectedEnd.put(id, "FAILED"));
            sparkJobs.forEach(id -> expectedEnd.put(id, "SUCCEEDED"));
            for (String id : expectedEnd.keySet()) {
                if (!id.equals(done)) {
                    stack.awaitState(id, "RUNNING", Duration.ofSeconds(120));
                    // RUNNING is stored from inside the workflow task that submitted the job; a
                    // worker killed before that task completed would leave a job that was never
                    // submitted as far as Temporal knows, and the next worker would submit it anew.
                    await().atMost(Duration.ofSeconds(120)).until(() -> submissionRecorded(stack, id));
                }
            }
            pythonProcesses = ProcessHandle.of(first.pid())
                    .orElseThrow()
                    .descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleeps.py"))
                    .toList();
            assertThat(pythonProcesses).as("the Python jobs' processes").hasSize(2);
        } finally {
            first.kill();
        }
        Instant killed = Instant.now();
        log.info("Worker killed with SIGKILL while running {} jobs", expectedEnd.size() - 1);
        // Nothing stopped the Python processes: they run on without their worker.
        assertThat(pythonProcesses).allMatch(ProcessHandle::isAlive);

        // While no worker runs: new jobs are accepted and wait.
        for (int i = 0; i < 2; i++) {
            expectedEnd.put(stack.submit(job("duckdb", "select 10 + " + i, source, Map.of())), "SUCCEEDED");
        }
        String sparkWhileDown = stack.submit(job("spark", "select 20", source, Map.of()));
        sparkJobs.add(sparkWhileDown);
        expectedEnd.put(sparkWhileDown, "SUCCEEDED");

        try (ChildWorker second = ChildWorker.start(workers, "second", settings)) {
            Instant restarted = Instant.now();
            // The remote jobs ran on while the worker was away; they end now, seen by the new worker.
            await().atMost(AFTER_RESTART).until(() -> livy.has(livy(sparkWhileDown)));
            sparkJobs.forEach(id -> livy.finish(livy(id), "success"));

            for (Map.Entry<String, String> job : expectedEnd.entrySet()) {
                stack.awaitState(job.getKey(), job.getValue(), AFTER_RESTART);
            }
            Instant settled = Instant.now();
            for (String id : duckdbRunning) {
                assertThat(error(stack, id))
                        .as("error of DuckDB job %s", id)
                        .contains("not known to this worker", "restarted");
            }
            for (String id : pythonRunning) {
                // The first poll of the new worker kills the process ("has died ... has been killed"); a
                // watch abandoned before the kill and retried on the new worker may poll after it and
                // find the process gone: either way the job says its worker is gone for good.
                assertThat(error(stack, id)).as("error of Python job %s", id).contains("worker", "cannot be resumed");
            }
            assertThat(pythonProcesses)
                    .as("Python processes of the dead worker")
                    .noneMatch(ProcessHandle::isAlive);
            for (String id : sparkJobs) {
                assertThat(livy.submitsOf(livy(id)))
                        .as("submits of Spark job %s", id)
                        .isEqualTo(1);
            }
            assertThat(livy.submits()).hasSize(sparkJobs.size());

            JobStore store = stack.context.getBean(JobStore.class);
            StatusEventLog events = stack.statusEvents();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> expectedEnd.keySet().stream().allMatch(id -> finished(events.of(id))));
            for (Map.Entry<String, String> job : expectedEnd.entrySet()) {
                List<Event> sent = events.of(job.getKey());
                StatusEventLog.assertComplete(sent);
                assertThat(sent.get(sent.size() - 1).state()).isEqualTo(job.getValue());
                JobRecord stored = store.find(job.getKey()).orElseThrow();
                assertThat(stored.sequence())
                        .as("transitions of job %s", job.getKey())
                        .isEqualTo(sent.size());
            }
            log.info(
                    "Worker killed during {} jobs ({} DuckDB, {} Python, {} Spark running); the next worker started "
                            + "{} s later and every job was in its final state {} s after that; {} Spark submits for {} "
                            + "Spark jobs",
                    expectedEnd.size(),
                    duckdbRunning.size(),
                    pythonRunning.size(),
                    sparkJobs.size() - 1,
                    Duration.between(killed, restarted).toSeconds(),
                    Duration.between(restarted, settled).toSeconds(),
                    livy.submits().values().stream().mapToInt(Integer::intValue).sum(),
                    sparkJobs.size());
        }
    }

    /**
     * What the stack told its own components (where Temporal, Redis, Kafka and S3 listen, the
     * secrets), and {@code extra}, for a worker process of its own: its web server on a free
     * loopback port, no workflow cache (see the class comment).
     */
    private static Map<String, String> workerSettings(LocalStack stack, List<String> extra) {
        ConfigurableEnvironment environment = stack.context.getEnvironment();
        EnumerablePropertySource<?> wiring =
                (EnumerablePropertySource<?>) environment.getPropertySources().get("hubbleLocalInfrastructure");
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : wiring.getPropertyNames()) {
            settings.put(name, String.valueOf(wiring.getProperty(name)));
        }
        for (String arg : extra) {
            String setting = arg.substring(2);
            settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
        settings.put("server.port", "0");
        settings.put("server.address", "127.0.0.1");
        settings.put("hubble.worker.workflow-cache-size", "0");
        return settings;
    }

    private static String livy(String jobId) {
        return "hubble-" + jobId;
    }

    private static String error(LocalStack stack, String jobId) {
        JsonNode document = stack.read(stack.get("/v1/jobs/" + jobId).body());
        return document.path("error").path("message").asText();
    }

    private static boolean finished(List<Event> events) {
        return !events.isEmpty()
                && StatusEventLog.TERMINAL.contains(
                        events.get(events.size() - 1).state());
    }

    private static Map<String, Object> job(String driver, String query, String source, Map<String, String> parameters) {
        return new LinkedHashMap<>(
                Map.of("query", query, "driver", driver, "source", source, "parameters", parameters));
    }

    /** Whether the job's submission is in its workflow's history, so no later worker submits it again. */
    private static boolean submissionRecorded(LocalStack stack, String jobId) {
        return stack.context.getBean(WorkflowClient.class).fetchHistory(jobId).getEvents().stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .map(event ->
                        event.getMarkerRecordedEventAttributes().getDetailsMap().get("type"))
                .anyMatch(type -> type != null
                        && type.getPayloads(0).getData().toStringUtf8().contains("JobSubmit"));
    }
}
