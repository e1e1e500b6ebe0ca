package dev.hubble.api.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events as a real Temporal cluster records them, which the Java test server does not all produce. */
class TimelineTest {

    private static final DataConverter CONVERTER = DefaultDataConverter.newDefaultInstance();

    @Test
    void retriedActivityShowsTheFailureOfTheAttemptBefore() {
        Timeline timeline = new Timeline(CONVERTER);
        timeline.addRun(List.of(
                scheduled(1, 10, "JobSubmit"),
                event(2, 40, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                        .setActivityTaskStartedEventAttributes(ActivityTaskStartedEventAttributes.newBuilder()
                                .setScheduledEventId(1)
                                .setAttempt(4)
                                .setLastFailure(Failure.newBuilder()
                                        .setMessage("Livy answered 503")
                                        .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder()
                                                .setType("LivyUnavailable"))))
                        .build(),
                completed(3, 41, 1, Map.of("driver", "spark", "remoteId", "batch-7"))));

        List<HistoryEntry> entries = timeline.history("job", false).entries();

        assertThat(entries).extracting(HistoryEntry::kind).containsExactly("activity-retried", "submitted");
        assertThat(entries.get(0).summary())
                .isEqualTo("JobSubmit succeeded after 4 attempts; the attempt before failed: Livy answered 503");
        assertThat(entries.get(0).details()).containsEntry("lastFailureType", "LivyUnavailable");
        assertThat(entries.get(1).summary()).isEqualTo("Submitted to spark as batch-7");
    }

    @Test
    void timedOutActivityShowsWhyItsLastAttemptFailed() {
        Timeline timeline = new Timeline(CONVERTER);
        timeline.addRun(List.of(
                scheduled(1, 10, "JobWatch"),
                event(2, 70, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
                        .setActivityTaskStartedEventAttributes(ActivityTaskStartedEventAttributes.newBuilder()
                                .setScheduledEventId(1)
                                .setAttempt(9))
                        .build(),
                event(3, 600, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)
                        .setActivityTaskTimedOutEventAttributes(ActivityTaskTimedOutEventAttributes.newBuilder()
                                .setScheduledEventId(1)
                                .setStartedEventId(2)
                                .setRetryState(RetryState.RETRY_STATE_TIMEOUT)
                                .setFailure(Failure.newBuilder()
                                        .setMessage("activity ScheduleToClose timeout")
                                        .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder()
                                                .setTimeoutType(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE))
                                        .setCause(Failure.newBuilder().setMessage("connection refused"))))
                        .build()));

        HistoryEntry entry = timeline.history("job", false).entries().get(0);

        assertThat(entry.kind()).isEqualTo("activity-timed-out");
        assertThat(entry.summary())
                .isEqualTo(
                        "JobWatch timed out after 9 attempts: activity ScheduleToClose timeout (connection refused)");
        assertThat(entry.details())
                .containsEntry("type", "TIMEOUT_TYPE_SCHEDULE_TO_CLOSE")
                .containsEntry("retryState", "RETRY_STATE_TIMEOUT");
    }

    @Test
    void namesTheCatalogDoesNotKnowStillShow() {
        Timeline timeline = new Timeline(CONVERTER);
        timeline.addRun(List.of(
                scheduled(1, 10, "JobAwaitRemote"),
                completed(2, 20, 1, Map.of("phase", "RUNNING")),
                event(3, 30, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                        .setWorkflowExecutionSignaledEventAttributes(
                                WorkflowExecutionSignaledEventAttributes.newBuilder()
                                        .setSignalName("statusPushed")
                                        .setInput(payloads(Map.of(
                                                "phase",
                                                "RUNNING",
                                                "token",
                                                "secret-token",
                                                "message",
                                                "stage 2 of 5"))))
                        .build()));

        List<HistoryEntry> entries = timeline.history("job", false).entries();

        assertThat(entries).extracting(HistoryEntry::kind).containsExactly("activity", "signal");
        assertThat(entries.get(0).summary()).isEqualTo("Activity JobAwaitRemote completed");
        assertThat(entries.get(1).summary()).isEqualTo("Received signal statusPushed");
        assertThat(entries.get(1).details())
                .containsEntry("phase", "RUNNING")
                .containsEntry("message", "stage 2 of 5")
                .doesNotContainKey("token");
    }

    private static HistoryEvent scheduled(long id, long second, String type) {
        return event(id, second, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .setActivityTaskScheduledEventAttributes(ActivityTaskScheduledEventAttributes.newBuilder()
                        .setActivityType(ActivityType.newBuilder().setName(type)))
                .build();
    }

    private static HistoryEvent completed(long id, long second, long scheduledId, Object result) {
        return event(id, second, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                .setActivityTaskCompletedEventAttributes(ActivityTaskCompletedEventAttributes.newBuilder()
                        .setScheduledEventId(scheduledId)
                        .setResult(payloads(result)))
                .build();
    }

    private static Payloads payloads(Object value) {
        return CONVERTER.toPayloads(value).orElseThrow();
    }

    private static HistoryEvent.Builder event(long id, long second, EventType type) {
        return HistoryEvent.newBuilder()
                .setEventId(id)
                .setEventType(type)
                .setEventTime(Timestamp.newBuilder().setSeconds(1_900_000_000L + second));
    }
}
