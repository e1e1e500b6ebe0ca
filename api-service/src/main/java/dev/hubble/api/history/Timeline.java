package dev.hubble.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hubble.api.history.TimelineCatalog.ActivityView;
import dev.hubble.api.history.TimelineCatalog.Call;
import dev.hubble.api.history.TimelineCatalog.Line;
import dev.hubble.api.history.TimelineCatalog.SignalView;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.lang.Nullable;

/**
 * Turns the raw history events of a job's runs into timeline entries, run after run, oldest
 * first. Not thread-safe: one per request.
 *
 * <p>Workflow tasks, timers and markers are machinery and left out. An activity shows once, when
 * it finished: as {@link TimelineCatalog} describes it, preceded by an {@code activity-retried}
 * entry when it took more than one attempt (with the failure of the attempt before), or as
 * {@code activity-failed} / {@code activity-timed-out} when it gave up.
 */
final class Timeline {

    private final DataConverter converter;
    /** Entries in the order their events were read, each with the kind it reports the time since. */
    private final List<Pending> entries = new ArrayList<>();
    /** The name the Java SDK gives the marker of a local activity. */
    private static final String LOCAL_ACTIVITY_MARKER = "LocalActivity";
    /** The last result of each changes-only activity, and how many equal ones followed it. */
    private final Map<String, String> lastResult = new HashMap<>();

    private final Map<String, Integer> unchanged = new HashMap<>();
    private int runs;

    Timeline(DataConverter converter) {
        this.converter = converter;
    }

    /** Adds the entries of the job's next run. */
    void addRun(List<HistoryEvent> events) {
        runs++;
        Map<Long, HistoryEvent> scheduled = new HashMap<>();
        Map<Long, HistoryEvent> started = new HashMap<>();
        for (HistoryEvent event : events) {
            Instant time = timeOf(event);
            switch (event.getEventType()) {
                case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
                    var start = event.getWorkflowExecutionStartedEventAttributes();
                    if (runs == 1) {
                        add(
                                time,
                                "workflow-started",
                                "The job's workflow started on task queue "
                                        + start.getTaskQueue().getName(),
                                TimelineCatalog.details(
                                        "taskQueue",
                                        start.getTaskQueue().getName(),
                                        "runId",
                                        start.getOriginalExecutionRunId()));
                    } else {
                        add(
                                time,
                                "continued-as-new",
                                "The workflow continued in a new run (run " + runs + ")",
                                TimelineCatalog.details("run", runs, "runId", start.getOriginalExecutionRunId()));
                    }
                }
                case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(event.getEventId(), event);
                case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
                    started.put(event.getActivityTaskStartedEventAttributes().getScheduledEventId(), event);
                case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                    var done = event.getActivityTaskCompletedEventAttributes();
                    HistoryEvent call = scheduled.get(done.getScheduledEventId());
                    if (call != null) {
                        completed(
                                time,
                                call,
                                started.get(done.getScheduledEventId()),
                                done.hasResult() ? done.getResult() : null);
                    }
                }
                case EVENT_TYPE_MARKER_RECORDED -> localActivity(time, event.getMarkerRecordedEventAttributes());
                case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
                    var failed = event.getActivityTaskFailedEventAttributes();
                    gaveUp(
                            time,
                            "activity-failed",
                            "failed",
                            scheduled.get(failed.getScheduledEventId()),
                            started.get(failed.getScheduledEventId()),
                            failed.getFailure(),
                            failed.getRetryState());
                }
                case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
                    var timedOut = event.getActivityTaskTimedOutEventAttributes();
                    gaveUp(
                            time,
                            "activity-timed-out",
                            "timed out",
                            scheduled.get(timedOut.getScheduledEventId()),
                            started.get(timedOut.getScheduledEventId()),
                            timedOut.getFailure(),
                            timedOut.getRetryState());
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
                    var signal = event.getWorkflowExecutionSignaledEventAttributes();
                    signal(
                            time,
                            TimelineCatalog.SIGNALS_RECEIVED,
                            signal.getSignalName(),
                            false,
                            signal.hasInput() ? signal.getInput() : null);
                }
                case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED -> {
                    // A job sends no signals of its own; any other workflow's show as they are.
                    var signal = event.getSignalExternalWorkflowExecutionInitiatedEventAttributes();
                    signal(time, Map.of(), signal.getSignalName(), true, signal.hasInput() ? signal.getInput() : null);
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
                    var update = event.getWorkflowExecutionUpdateAcceptedEventAttributes()
                            .getAcceptedRequest()
                            .getInput();
                    signal(
                            time,
                            TimelineCatalog.SIGNALS_RECEIVED,
                            update.getName(),
                            false,
                            update.hasArgs() ? update.getArgs() : null);
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED -> {
                    var cancel = event.getWorkflowExecutionCancelRequestedEventAttributes();
                    add(
                            time,
                            "cancel-requested",
                            "Cancellation was requested",
                            TimelineCatalog.details(
                                    "cause",
                                    blankToNull(cancel.getCause()),
                                    "identity",
                                    blankToNull(cancel.getIdentity())));
                }
                case EVENT_TYPE_WORKFLOW_TASK_FAILED -> {
                    var failed = event.getWorkflowTaskFailedEventAttributes();
                    add(
                            time,
                            "workflow-task-failed",
                            "A workflow task failed: " + message(failed.getFailure()),
                            TimelineCatalog.details(
                                    "cause", failed.getCause().name(), "message", message(failed.getFailure())));
                }
                case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT ->
                    add(
                            time,
                            "workflow-task-timed-out",
                            "A workflow task timed out ("
                                    + event.getWorkflowTaskTimedOutEventAttributes()
                                            .getTimeoutType()
                                            .name() + ")",
                            Map.of());
                case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
                    var done = event.getWorkflowExecutionCompletedEventAttributes();
                    String state = TimelineCatalog.text(decode(done.hasResult() ? done.getResult() : null)
                            .path(0)
                            .path("state"));
                    add(
                            time,
                            "workflow-completed",
                            "The workflow completed" + (state == null ? "" : ", the job " + state),
                            TimelineCatalog.details("state", state));
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
                    Failure failure =
                            event.getWorkflowExecutionFailedEventAttributes().getFailure();
                    add(
                            time,
                            "workflow-failed",
                            "The workflow failed: " + message(failure),
                            TimelineCatalog.details("message", message(failure), "type", failureType(failure)));
                }
                case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT ->
                    add(
                            time,
                            "workflow-timed-out",
                            "The workflow ran out of time (Temporal's workflow timeout)",
                            Map.of());
                case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED ->
                    add(time, "workflow-cancelled", "The workflow was cancelled", Map.of());
                case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
                    var terminated = event.getWorkflowExecutionTerminatedEventAttributes();
                    add(
                            time,
                            "workflow-terminated",
                            "The workflow was terminated"
                                    + (terminated.getReason().isBlank() ? "" : ": " + terminated.getReason()),
                            TimelineCatalog.details(
                                    "reason",
                                    blankToNull(terminated.getReason()),
                                    "identity",
                                    blankToNull(terminated.getIdentity())));
                }
                default -> {
                    // Workflow tasks, timers, markers, continue-as-new (the next run's start shows it): machinery.
                }
            }
        }
    }

    private record Pending(HistoryEntry entry, @Nullable String since) {}

    /**
     * The history read so far, in time order (an entry dated when its activity was scheduled may
     * come before one read earlier), each entry that reports the time since an earlier kind of
     * entry with its {@code after}.
     */
    JobHistory history(String jobId, boolean truncated) {
        List<Pending> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(pending -> pending.entry().time())); // stable: ties keep their order
        Map<String, Instant> lastOfKind = new HashMap<>();
        List<HistoryEntry> timeline = new ArrayList<>(sorted.size());
        for (Pending pending : sorted) {
            HistoryEntry entry = pending.entry();
            Instant earlier = pending.since() == null ? null : lastOfKind.get(pending.since());
            if (earlier != null) {
                Map<String, Object> details = new LinkedHashMap<>(entry.details());
                details.put("after", Duration.between(earlier, entry.time()).toString());
                entry = new HistoryEntry(entry.time(), entry.kind(), entry.summary(), details);
            }
            lastOfKind.put(entry.kind(), entry.time());
            timeline.add(entry);
        }
        return new JobHistory(jobId, runs, truncated, timeline);
    }

    /**
     * A local activity: the workflow ran it within a workflow task and recorded its outcome in one
     * marker (type, input and result, or the failure), so it reads like a completed activity.
     */
    private void localActivity(Instant time, MarkerRecordedEventAttributes marker) {
        if (!LOCAL_ACTIVITY_MARKER.equals(marker.getMarkerName()) || !marker.containsDetails("type")) {
            return;
        }
        String type = decode(marker.getDetailsOrThrow("type")).path(0).asText("");
        if (marker.hasFailure()) {
            add(
                    time,
                    "activity-failed",
                    type + " failed: " + message(marker.getFailure()),
                    TimelineCatalog.details(
                            "activity",
                            type,
                            "failure",
                            message(marker.getFailure()),
                            "failureType",
                            failureType(marker.getFailure())));
            return;
        }
        completed(
                time,
                time,
                type,
                marker.containsDetails("input") ? marker.getDetailsOrThrow("input") : null,
                1,
                marker.containsDetails("result") ? marker.getDetailsOrThrow("result") : null);
    }

    private void completed(
            Instant time, HistoryEvent scheduledEvent, @Nullable HistoryEvent started, @Nullable Payloads result) {
        ActivityTaskScheduledEventAttributes scheduled = scheduledEvent.getActivityTaskScheduledEventAttributes();
        Instant scheduledAt = timeOf(scheduledEvent);
        String type = scheduled.getActivityType().getName();
        int attempts = started == null
                ? 1
                : Math.max(1, started.getActivityTaskStartedEventAttributes().getAttempt());
        if (attempts > 1) {
            // A real server records the failure of the attempt before; the Java test server does not.
            var attributes = started.getActivityTaskStartedEventAttributes();
            Failure last = attributes.hasLastFailure() ? attributes.getLastFailure() : null;
            add(
                    time,
                    "activity-retried",
                    type + " succeeded after " + attempts + " attempts"
                            + (last == null ? "" : "; the attempt before failed: " + message(last)),
                    TimelineCatalog.details(
                            "activity",
                            type,
                            "attempts",
                            attempts,
                            "lastFailure",
                            last == null ? null : message(last),
                            "lastFailureType",
                            last == null ? null : failureType(last)));
        }
        completed(time, scheduledAt, type, scheduled.hasInput() ? scheduled.getInput() : null, attempts, result);
    }

    private void completed(
            Instant time,
            Instant scheduledAt,
            String type,
            @Nullable Payloads input,
            int attempts,
            @Nullable Payloads result) {
        ActivityView view = TimelineCatalog.ACTIVITIES.getOrDefault(type, TimelineCatalog.unknownActivity());
        JsonNode output = decode(result).path(0);
        if (view.changesOnly()) {
            String fingerprint = output.toString();
            if (fingerprint.equals(lastResult.put(type, fingerprint))) {
                unchanged.merge(type, 1, Integer::sum);
                return;
            }
        }
        Call call = new Call(type, decode(input), output, attempts);
        Optional<Line> line = view.describe().apply(call);
        if (line.isEmpty()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>(line.get().details());
        if (view.changesOnly()) {
            Integer same = unchanged.remove(type);
            if (same != null) {
                details.put("unchangedBefore", same);
            }
        }
        add(view.whenScheduled() ? scheduledAt : time, view.kind(), line.get().summary(), details, view.since());
    }

    private void gaveUp(
            Instant time,
            String kind,
            String verb,
            @Nullable HistoryEvent scheduled,
            @Nullable HistoryEvent started,
            Failure failure,
            RetryState retryState) {
        String type = scheduled == null
                ? "an activity"
                : scheduled
                        .getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName();
        int attempts = started == null
                ? 1
                : Math.max(1, started.getActivityTaskStartedEventAttributes().getAttempt());
        // A timeout's own failure says only "activity timeout"; the cause says why the last attempt failed.
        String cause = failure.hasCause() ? message(failure.getCause()) : null;
        add(
                time,
                kind,
                type + " " + verb + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ": "
                        + message(failure) + (cause == null ? "" : " (" + cause + ")"),
                TimelineCatalog.details(
                        "activity",
                        type,
                        "attempts",
                        attempts,
                        "message",
                        message(failure),
                        "type",
                        failureType(failure),
                        "cause",
                        cause,
                        "retryState",
                        retryState.name()));
    }

    private void signal(
            Instant time, Map<String, SignalView> views, String name, boolean sent, @Nullable Payloads input) {
        SignalView view = views.getOrDefault(name, TimelineCatalog.unknownSignal(name, sent));
        Line line = view.describe().apply(decode(input));
        add(time, view.kind(), line.summary(), line.details(), view.since());
    }

    private void add(Instant time, String kind, String summary, Map<String, Object> details) {
        add(time, kind, summary, details, null);
    }

    private void add(Instant time, String kind, String summary, Map<String, Object> details, @Nullable String since) {
        entries.add(new Pending(new HistoryEntry(time, kind, summary, details), since));
    }

    /** The payloads as a JSON array, one element per payload; elements it cannot read are null. */
    private JsonNode decode(@Nullable Payloads payloads) {
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        if (payloads == null) {
            return values;
        }
        for (int i = 0; i < payloads.getPayloadsCount(); i++) {
            try {
                JsonNode value = converter.fromPayloads(i, Optional.of(payloads), JsonNode.class, JsonNode.class);
                values.add(value == null ? JsonNodeFactory.instance.nullNode() : value);
            } catch (DataConverterException | IllegalArgumentException e) {
                values.add(JsonNodeFactory.instance.nullNode()); // not JSON (binary, encrypted): shown without it
            }
        }
        return values;
    }

    private static Instant timeOf(HistoryEvent event) {
        return Instant.ofEpochSecond(
                event.getEventTime().getSeconds(), event.getEventTime().getNanos());
    }

    private static String message(Failure failure) {
        return failure.getMessage().isBlank() ? "(no message)" : TimelineCatalog.clip(failure.getMessage());
    }

    private static @Nullable String failureType(Failure failure) {
        if (failure.hasApplicationFailureInfo()
                && !failure.getApplicationFailureInfo().getType().isBlank()) {
            return failure.getApplicationFailureInfo().getType();
        }
        if (failure.hasTimeoutFailureInfo()) {
            return failure.getTimeoutFailureInfo().getTimeoutType().name();
        }
        return null;
    }

    private static @Nullable String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }
}
