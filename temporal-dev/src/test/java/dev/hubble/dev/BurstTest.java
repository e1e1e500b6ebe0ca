package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hubble.activities.duckdb.DuckDbProperties;
import dev.hubble.activities.duckdb.DuckDbRunner;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A burst of 1,000 SQL jobs against a driver that admits 4 at a time: nothing lost, nothing
 * failed, never more than 4 at the engine although DuckDB would run 16 queries at once, and
 * higher-priority jobs submitted later overtake those still waiting.
 */
class BurstTest {

    private static final int JOBS = 1_000;
    private static final int URGENT = 10;

    private final LocalStack stack = LocalStack.get();

    @Test
    void burstOfAThousandJobsLosesNoneAndNeverOverloadsTheEngine() {
        String source = "burst-" + UUID.randomUUID();
        String urgentSource = source + "-urgent";
        assertThat(stack.context.getEnvironment().getProperty("hubble.drivers.duckdb.concurrency", Integer.class, 4))
                .isEqualTo(4);
        // The engine itself would take more: the bound below is the gate's doing.
        assertThat(stack.context.getBean(DuckDbProperties.class).parallelQueries())
                .isGreaterThan(4);

        List<String> ids = Burst.submit(stack, source, JOBS, 1, 8);
        List<String> urgent = Burst.submit(stack, urgentSource, URGENT, 9, 2);
        // The gate as soon as it knows every urgent job: who waits then, and in which order. The
        // urgent jobs ask only once the thousand before them have run their first workflow task,
        // which takes about a minute on 2 cores: the bound only guards against a hang. An urgent
        // job that asked, ran and finished between two looks counts as known: on a busy machine
        // the first urgent jobs may be done before the last have asked.
        GateSnapshot gate = await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        this::gate,
                        g -> urgent.stream()
                                .allMatch(id ->
                                        g.queue().contains(id) || g.holders().contains(id) || finished(id)));
        List<JobRecord> finished = Burst.awaitFinished(stack, source, JOBS, Duration.ofMinutes(8));
        List<JobRecord> urgentFinished = Burst.awaitFinished(stack, urgentSource, URGENT, Duration.ofMinutes(1));

        assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates();
        assertThat(finished)
                .hasSize(JOBS)
                .allSatisfy(r -> assertThat(r.state()).as(r.jobId()).isEqualTo(JobState.SUCCEEDED));
        assertThat(urgentFinished)
                .hasSize(URGENT)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(stack.context.getBean(DuckDbRunner.class).peakRunning())
                .as("queries executing at once, counted inside the runner")
                .isBetween(1, 4);

        Map<String, Instant> submittedAt = transitions(ids, urgent, "SUBMITTED");
        Instant lastUrgentStart =
                urgent.stream().map(submittedAt::get).max(Instant::compareTo).orElseThrow();
        List<String> stillWaiting = gate.queue().stream().filter(ids::contains).toList();
        List<String> urgentWaiting =
                gate.queue().stream().filter(urgent::contains).toList();
        assertThat(stillWaiting)
                .as("normal jobs still waiting when the urgent ones came")
                .hasSizeGreaterThan(100);
        assertThat(gate.queue().subList(0, urgentWaiting.size()))
                .as("urgent jobs go to the head of the line")
                .containsExactlyInAnyOrderElementsOf(urgentWaiting);
        // The gate grants every urgent job before any of those; a normal job granted in the last
        // urgent job's wake may still reach DuckDB a moment before it, but no more of them than
        // the permits the urgent job did not hold.
        assertThat(stillWaiting.stream().filter(id -> submittedAt.get(id).isBefore(lastUrgentStart)))
                .as("normal jobs that were waiting yet started before the last urgent one")
                .hasSizeLessThanOrEqualTo(3);
    }

    private boolean finished(String jobId) {
        String state =
                stack.read(stack.get("/v1/jobs/" + jobId).body()).get("state").asText();
        return JobState.valueOf(state).isTerminal();
    }

    private GateSnapshot gate() {
        return stack.context
                .getBean(WorkflowClient.class)
                .newWorkflowStub(GateWorkflow.class, Gates.workflowId("duckdb"))
                .snapshot();
    }

    /** When each job reached {@code state}, from its status event. */
    private Map<String, Instant> transitions(List<String> ids, List<String> urgent, String state) {
        return await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> stack.statusEvents().all().stream()
                                .filter(e -> e.state().equals(state))
                                .collect(Collectors.toMap(
                                        StatusEventLog.Event::jobId,
                                        e -> Instant.parse(
                                                e.data().get("updatedAt").asText()),
                                        (a, b) -> a)),
                        seen -> seen.keySet().containsAll(ids) && seen.keySet().containsAll(urgent));
    }
}
