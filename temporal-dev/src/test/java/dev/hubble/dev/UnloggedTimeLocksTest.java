package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnloggedTimeLocksTest {

    private static final String QUEUE = "time-locks";

    @Test
    void theLocalStacksTemporalServerKeepsNoLogOfItsTimeLocksAndStillRunsInRealTime() throws Exception {
        try (TemporalTestServer server = TemporalTestServer.start(InetAddress.getLoopbackAddress(), 0)) {
            WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + server.port())
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(service);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            try {
                Worker worker = factory.newWorker(QUEUE);
                worker.registerWorkflowImplementationTypes(NapWorkflowImpl.class);
                worker.registerActivitiesImplementations(new EchoImpl());
                factory.start();

                for (int i = 0; i < 20; i++) {
                    NapWorkflow workflow = client.newWorkflowStub(
                            NapWorkflow.class,
                            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
                    long started = System.nanoTime();
                    assertThat(workflow.napThenEcho("hello " + i)).isEqualTo("hello " + i);
                    assertThat(Duration.ofNanos(System.nanoTime() - started))
                            .as("a nap on a server whose time does not skip")
                            .isGreaterThanOrEqualTo(NapWorkflowImpl.NAP);
                }

                // Each of those workflows locked and unlocked time for each of its tasks; the test
                // server of 1.38.0 keeps two entries for each, for ever.
                assertThat(lockLog(server)).isEmpty();
            } finally {
                factory.shutdownNow();
                service.shutdownNow();
            }
        }
    }

    private static List<?> lockLog(TemporalTestServer server) throws ReflectiveOperationException {
        Object services = read(server, "services");
        Object clock = read(services, "selfAdvancingTimer");
        return (List<?>) read(clock, "lockEvents");
    }

    private static Object read(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    @WorkflowInterface
    public interface NapWorkflow {
        @WorkflowMethod
        String napThenEcho(String word);
    }

    public static final class NapWorkflowImpl implements NapWorkflow {

        static final Duration NAP = Duration.ofMillis(100);

        private final Echo echo = Workflow.newActivityStub(
                Echo.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .build());

        @Override
        public String napThenEcho(String word) {
            Workflow.sleep(NAP);
            return echo.echo(word);
        }
    }

    @ActivityInterface
    public interface Echo {
        String echo(String word);
    }

    static final class EchoImpl implements Echo {
        @Override
        public String echo(String word) {
            return word;
        }
    }
}
