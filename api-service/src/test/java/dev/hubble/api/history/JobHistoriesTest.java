package dev.hubble.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hubble.api.jobs.JobNotFoundException;
import dev.hubble.core.gate.GateActivities;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.gate.PermitRequest;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobStateActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timelines read back from a real Temporal test server, from workflows that call the job
 * workflow's real activity and signal names: a job that waits for its permit, needs three
 * submission attempts, is polled across a continue-as-new, reports an error and succeeds; and
 * one whose submission is refused and that is then cancelled.
 */
class JobHistoriesTest {

    private static final String TASK_QUEUE = "history-test";
    private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
    private static final JobSpec SPEC = new JobSpec(
            "select 42",
            "duckdb",
            OutputFormat.CSV,
            "reports",
            null,
            null,
            null,
            3,
            Duration.ofHours(1),
            Map.of(),
            null);

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private JobHistories histories;
    private final ScriptedActivities activities = new ScriptedActivities();

    /** Stands for the job workflow: its signal names, not its code. */
    @WorkflowInterface
    public interface StoryWorkflow {

        @WorkflowMethod
        String run(String jobId, String script, int run);

        @SignalMethod(name = Gates.PERMIT_GRANTED)
        void permitGranted();

        @SignalMethod(name = "reportError")
        void reportError(JobError error);
    }

    public static class StoryWorkflowImpl implements StoryWorkflow {

        private final ActivityStub activity = Workflow.newUntypedActivityStub(ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setDoNotRetry(JobActivities.JOB_REJECTED)
                        .build())
                .build());
        private boolean granted;

        @Override
        public String run(String jobId, String script, int run) {
            JobRecord queued = JobRecord.accepted(jobId, SPEC, T0);
            JobRecord submitted = queued.moveTo(JobState.SUBMITTED, T0.plusSeconds(1), null, null);
            JobRecord running = submitted.moveTo(JobState.RUNNING, T0.plusSeconds(2), null, null);
            if (script.equals("refused")) {
                activity.execute("JobStateStoreAndTryPublish", Boolean.class, queued.recordedAgain(T0));
                try {
                    activity.execute(
                            "JobSubmit",
                            Map.class,
                            jobId,
                            new JobSpec(
                                    "selec 42",
                                    "duckdb",
                                    OutputFormat.CSV,
                                    "reports",
                                    null,
                                    null,
                                    null,
                                    3,
                                    Duration.ofHours(1),
                                    Map.of(),
                                    null));
                } catch (ActivityFailure refused) {
                    Workflow.await(() -> false); // until cancelled
                }
                return "unreachable";
            }
            if (run == 1) {
                activity.execute("JobStateStoreAndTryPublish", Boolean.class, queued.recordedAgain(T0));
                activity.execute("GateRequestPermit", Void.class, "duckdb", new PermitRequest(jobId, 3, T0));
                Workflow.await(() -> granted);
                activity.execute("JobSubmit", Map.class, jobId, SPEC);
                activity.execute("JobStateStoreAndTryPublish", Boolean.class, submitted);
                for (int i = 0; i < 3; i++) {
                    activity.execute("JobWatch", Map.class, Map.of("driver", "duckdb", "remoteId", "q-1"));
                    Workflow.sleep(Duration.ofSeconds(5));
                }
                activity.execute("JobStateStoreAndTryPublish", Boolean.class, running);
                Workflow.continueAsNew(jobId, script, 2);
            }
            while (!"SUCCEEDED"
                    .equals(activity.execute("JobWatch", Map.class, Map.of("driver", "duckdb", "remoteId", "q-1"))
                            .get("phase"))) {
                Workflow.sleep(Duration.ofSeconds(5));
            }
            JobResult result = activity.execute("JobCollectResult", JobResult.class, jobId, SPEC);
            activity.execute(
                    "JobStateStoreAndTryPublish",
                    Boolean.class,
                    running.moveTo(JobState.SUCCEEDED, T0.plusSeconds(30), null, result));
            return "SUCCEEDED";
        }

        @Override
        public void permitGranted() {
            granted = true;
        }

        @Override
        public void reportError(JobError error) {}
    }

    /** The activities by name, scripted: the gate grants at once, submission fails twice, polls move on. */
    final class ScriptedActivities implements DynamicActivity {

        final ConcurrentLinkedQueue<String> phases = new ConcurrentLinkedQueue<>(
                List.of("PENDING", "PENDING", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"));

        @Override
        public Object execute(EncodedValues args) {
            var info = Activity.getExecutionContext().getInfo();
            String jobId = info.getWorkflowId();
            return switch (info.getActivityType()) {
                case "GateRequestPermit" -> {
                    client.newUntypedWorkflowStub(jobId).signal(Gates.PERMIT_GRANTED);
                    yield null;
                }
                case "JobSubmit" -> {
                    if (args.get(1, JobSpec.class).query().startsWith("selec ")) {
                        throw ApplicationFailure.newNonRetryableFailure(
                                "Parser Error: syntax error at or near \"selec\"", JobActivities.JOB_REJECTED);
                    }
                    if (info.getAttempt() < 3) {
                        throw new IllegalStateException(
                                "the engine is not answering (attempt " + info.getAttempt() + ")");
                    }
                    yield Map.of("driver", "duckdb", "remoteId", "q-1", "attributes", Map.of());
                }
                case "JobWatch" -> {
                    String phase = phases.poll();
                    if ("RUNNING".equals(phase) && phases.size() == 3) {
                        client.newUntypedWorkflowStub(jobId)
                                .signal("reportError", new JobError("Table events does not exist", null));
                    }
                    yield Map.of("phase", phase);
                }
                case "JobCollectResult" -> new JobResult(OutputFormat.CSV, List.of(new ResultFile("result.csv", 12)));
                default -> null;
            };
        }
    }

    @BeforeEach
    void startTemporal() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(StoryWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
        histories = new JobHistories(client, new HistoryProperties(20_000));
    }

    @AfterEach
    void stopTemporal() {
        env.close();
    }

    @Test
    void timelineTellsTheWholeStoryAcrossContinueAsNew() {
        String jobId = UUID.randomUUID().toString();
        WorkflowStub workflow = start(jobId, "succeeds");
        assertThat(workflow.getResult(String.class)).isEqualTo("SUCCEEDED");

        JobHistory history = histories.of(jobId);

        assertThat(history.jobId()).isEqualTo(jobId);
        assertThat(history.runs()).isEqualTo(2);
        assertThat(history.truncated()).isFalse();
        List<String> kinds = history.entries().stream().map(HistoryEntry::kind).toList();
        assertThat(kinds)
                .containsSubsequence(
                        "workflow-started",
                        "transition",
                        "permit-requested",
                        "permit-granted",
                        "activity-retried",
                        "submitted",
                        "transition",
                        "poll",
                        "poll",
                        "transition",
                        "continued-as-new",
                        "poll",
                        "result-listed",
                        "transition",
                        "workflow-completed");
        assertThat(kinds).contains("error-reported");
        assertThat(history.entries()).isSortedAccordingTo((a, b) -> a.time().compareTo(b.time()));

        assertThat(entries(history, "transition"))
                .extracting(e -> e.details().get("state"))
                .containsExactly("QUEUED", "SUBMITTED", "RUNNING", "SUCCEEDED");
        assertThat(entries(history, "transition").get(3).details()).containsEntry("fileCount", 1);
        HistoryEntry granted = entries(history, "permit-granted").get(0);
        assertThat(granted.details()).containsKey("after");
        HistoryEntry retried = entries(history, "activity-retried").get(0);
        assertThat(retried.details()).containsEntry("activity", "JobSubmit").containsEntry("attempts", 3);
        // The test server does not record the failure of the attempt before; TimelineTest covers it.
        assertThat(retried.summary()).startsWith("JobSubmit succeeded after 3 attempts");
        assertThat(entries(history, "submitted").get(0).summary()).isEqualTo("Submitted to duckdb as q-1");
        // Six polls, three changes: PENDING, RUNNING and SUCCEEDED; equal ones are counted, not shown.
        assertThat(entries(history, "poll"))
                .extracting(e -> e.details().get("phase"))
                .containsExactly("PENDING", "RUNNING", "SUCCEEDED");
        assertThat(entries(history, "poll"))
                .extracting(e -> e.details().get("unchangedBefore"))
                .containsExactly(null, 1, 2);
        assertThat(entries(history, "error-reported").get(0).summary()).contains("Table events does not exist");
        assertThat(entries(history, "result-listed").get(0).summary()).isEqualTo("Listed 1 result file (12 bytes)");
        assertThat(entries(history, "workflow-completed").get(0).details()).isEmpty();
    }

    @Test
    void refusedSubmissionAndCancelRequestShow() {
        String jobId = UUID.randomUUID().toString();
        WorkflowStub workflow = start(jobId, "refused");
        await().atMost(Duration.ofSeconds(60)).until(() -> kinds(jobId).contains("activity-failed"));

        workflow.cancel();
        assertThatThrownBy(() -> workflow.getResult(String.class)).isInstanceOf(WorkflowFailedException.class);

        JobHistory history = histories.of(jobId);
        HistoryEntry failed = entries(history, "activity-failed").get(0);
        assertThat(failed.summary()).startsWith("JobSubmit failed after 1 attempt: Parser Error");
        assertThat(failed.details()).containsEntry("type", JobActivities.JOB_REJECTED);
        assertThat(kinds(jobId)).containsSubsequence("activity-failed", "cancel-requested", "workflow-cancelled");
    }

    @Test
    void unknownJobIsNotFound() {
        assertThatThrownBy(() -> histories.of(UUID.randomUUID().toString())).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> histories.of("not-a-job-id")).isInstanceOf(JobNotFoundException.class);
    }

    /** A new activity of the job workflow's contracts needs a line in the catalog, and a removed one loses it. */
    @Test
    void catalogNamesEveryActivityOfTheJobWorkflowsContracts() {
        Set<String> contracts = new TreeSet<>();
        for (Class<?> type : List.of(JobActivities.class, JobStateActivities.class, GateActivities.class)) {
            String prefix = type.getAnnotation(ActivityInterface.class).namePrefix();
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isSynthetic() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                    contracts.add(prefix
                            + Character.toUpperCase(method.getName().charAt(0))
                            + method.getName().substring(1));
                }
            }
        }

        assertThat(new TreeSet<>(TimelineCatalog.ACTIVITIES.keySet())).isEqualTo(contracts);
    }

    private WorkflowStub start(String jobId, String script) {
        StoryWorkflow workflow = client.newWorkflowStub(
                StoryWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(jobId)
                        .setTaskQueue(TASK_QUEUE)
                        .build());
        WorkflowClient.start(workflow::run, jobId, script, 1);
        return WorkflowStub.fromTyped(workflow);
    }

    private List<String> kinds(String jobId) {
        return histories.of(jobId).entries().stream()
                .map(HistoryEntry::kind)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<HistoryEntry> entries(JobHistory history, String kind) {
        return history.entries().stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
