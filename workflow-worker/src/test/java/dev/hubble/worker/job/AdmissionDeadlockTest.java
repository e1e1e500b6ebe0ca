package dev.hubble.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.activities.gate.GateActivitiesImpl;
import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.GateSnapshot;
import dev.hubble.core.gate.GateWorkflow;
import dev.hubble.core.gate.Gates;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.JobActivities;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.core.temporal.TaskQueues;
import dev.hubble.core.temporal.WatchRequest;
import dev.hubble.worker.gate.GateWorkflowImpl;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Why each driver has its own gate. Python parents each submit two SQL children and wait for
 * them; the parents' driver admits 2 at a time, the children's 1. With a gate per driver every
 * job finishes. With one gate shared by both drivers (a configuration only this test makes), the
 * parents take every permit and their children can never start: a deadlock.
 */
class AdmissionDeadlockTest {

    private static final String PYTHON = "local-python";
    private static final String SQL = "duckdb";
    private static final String SHARED = "shared";

    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void parentsAndChildrenAllFinishWhenEachDriverHasItsOwnGate() {
        start(null);

        List<String> parents = submitParents();

        for (String parent : parents) {
            JobRecord done = client.newUntypedWorkflowStub(parent).getResult(JobRecord.class);
            assertThat(done.state()).as(parent).isEqualTo(JobState.SUCCEEDED);
        }
        for (String child : children(parents)) {
            assertThat(client.newWorkflowStub(JobWorkflow.class, child).status().state())
                    .as(child)
                    .isEqualTo(JobState.SUCCEEDED);
        }
        assertThat(gate(PYTHON).running()).isZero();
        assertThat(gate(SQL).running()).isZero();
    }

    @Test
    void parentsStarveTheirChildrenWhenBothDriversShareOneGate() {
        start(SHARED);

        List<String> parents = submitParents();
        // The bounded wait, in real time (the parents' watches run, so workflow time is not
        // skipped): every parent polls its engine hundreds of times meanwhile.
        env.sleep(Duration.ofSeconds(10));

        GateSnapshot shared = gate(SHARED);
        List<String> holders = shared.holders();
        List<String> childrenOfHolders = children(holders);
        assertThat(shared.capacity()).isEqualTo(3);
        assertThat(holders)
                .as("the parents took every permit")
                .hasSize(3)
                .allSatisfy(h -> assertThat(parents).contains(h));
        assertThat(shared.queue())
                .as("their children, and the last parent, wait behind them")
                .containsExactlyInAnyOrderElementsOf(concat(
                        childrenOfHolders,
                        parents.stream().filter(p -> !holders.contains(p)).toList()));
        for (String parent : parents) {
            assertThat(describe(parent))
                    .as("parent %s never finishes", parent)
                    .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        }
        for (String child : childrenOfHolders) {
            assertThat(client.newWorkflowStub(JobWorkflow.class, child).status().state())
                    .as("child %s never starts", child)
                    .isEqualTo(JobState.QUEUED);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private void start(String sharedGate) {
        // Real time: a job's watch is an activity that polls in real time, and on a time-skipping
        // server its heartbeat timeout would run out in skipped time.
        env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        client = env.getWorkflowClient();
        ParentsAndChildren engine = new ParentsAndChildren(client, env);
        GateActivitiesImpl gates = new GateActivitiesImpl(
                client,
                gate -> GatePolicy.of(
                        switch (gate) {
                            case PYTHON -> 2;
                            case SQL -> 1;
                            default -> 3; // a shared gate admits what both drivers would together
                        }),
                Duration.ofMinutes(1),
                1_000);
        JobWorkflowSettings settings =
                new JobWorkflowSettings(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 500, 5, sharedGate);
        for (String queue : List.of(PYTHON, SQL, SHARED)) {
            Worker worker = env.newWorker(TaskQueues.forDriver(queue));
            worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(settings));
            worker.registerWorkflowImplementationTypes(GateWorkflowImpl.class);
            worker.registerActivitiesImplementations(engine, new RecordingStates(), gates);
        }
        env.start();
    }

    private List<String> submitParents() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "parent-" + i;
            startJob(client, id, PYTHON, now(env));
            parents.add(id);
        }
        return parents;
    }

    private static List<String> children(List<String> parents) {
        return parents.stream()
                .flatMap(p -> IntStream.range(0, 2).mapToObj(i -> p + "-child-" + i))
                .toList();
    }

    private GateSnapshot gate(String name) {
        return client.newWorkflowStub(GateWorkflow.class, Gates.workflowId(name))
                .snapshot();
    }

    private WorkflowExecutionStatus describe(String jobId) {
        return client.newUntypedWorkflowStub(jobId).describe().getStatus();
    }

    private static Instant now(TestWorkflowEnvironment env) {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }

    static void startJob(WorkflowClient client, String jobId, String driver, Instant now) {
        JobSpec spec = new JobSpec(
                driver.equals(PYTHON) ? "parent" : "select 1",
                driver,
                OutputFormat.CSV,
                "test",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofDays(1),
                Map.of(),
                null);
        JobWorkflow workflow = client.newWorkflowStub(
                JobWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(jobId)
                        .setTaskQueue(TaskQueues.forDriver(driver))
                        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                        .build());
        WorkflowClient.start(workflow::run, JobWorkflowInput.start(JobRecord.accepted(jobId, spec, now)));
    }

    /**
     * Both engines: a Python parent submits two SQL children through Hubble and runs until both
     * have succeeded; a SQL job succeeds at once.
     */
    private static final class ParentsAndChildren implements JobActivities {

        private final WorkflowClient client;
        private final TestWorkflowEnvironment env;

        ParentsAndChildren(WorkflowClient client, TestWorkflowEnvironment env) {
            this.client = client;
            this.env = env;
        }

        @Override
        public RunHandle submit(String jobId, JobSpec spec) {
            if (spec.driver().equals(PYTHON)) {
                for (int i = 0; i < 2; i++) {
                    startJob(client, jobId + "-child-" + i, SQL, now(env));
                }
            }
            return new RunHandle(spec.driver(), jobId, Map.of());
        }

        RemoteStatus poll(RunHandle handle) {
            if (handle.driver().equals(SQL)) {
                return RemoteStatus.of(RemotePhase.SUCCEEDED);
            }
            boolean childrenDone = IntStream.range(0, 2)
                    .allMatch(i -> client.newWorkflowStub(JobWorkflow.class, handle.remoteId() + "-child-" + i)
                                    .status()
                                    .state()
                            == JobState.SUCCEEDED);
            return RemoteStatus.of(childrenDone ? RemotePhase.SUCCEEDED : RemotePhase.RUNNING);
        }

        @Override
        public RemoteStatus watch(RunHandle handle, WatchRequest request) {
            return FakeWatch.watch(() -> poll(handle), request, 20);
        }

        @Override
        public void cancel(RunHandle handle) {}

        @Override
        public String diagnostics(RunHandle handle) {
            return null;
        }

        @Override
        public JobResult collectResult(String jobId, JobSpec spec) {
            return new JobResult(spec.format(), List.of());
        }
    }
}
