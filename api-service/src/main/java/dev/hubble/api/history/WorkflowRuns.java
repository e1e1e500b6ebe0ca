package dev.hubble.api.history;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the raw history of every run of one workflow, through the history service only (the
 * Java test server has no visibility API). It starts at the newest run and follows each run's
 * {@code continuedExecutionRunId} back to the first, so it needs no listing and no run ids from
 * anyone. Thread-safe.
 */
final class WorkflowRuns {

    /** The runs read, oldest first, and whether older ones were left out to stay under the cap. */
    record Runs(List<List<HistoryEvent>> runs, boolean truncated) {}

    private final WorkflowClient client;
    private final int maxEvents;

    WorkflowRuns(WorkflowClient client, int maxEvents) {
        this.client = client;
        this.maxEvents = maxEvents;
    }

    /**
     * Every run of {@code workflowId}, oldest first, at most {@code maxEvents} events in all.
     *
     * @throws io.grpc.StatusRuntimeException from the service, e.g. {@code NOT_FOUND}
     */
    Runs read(String workflowId) {
        Deque<List<HistoryEvent>> runs = new ArrayDeque<>();
        int events = 0;
        String runId = ""; // the newest run
        while (true) {
            List<HistoryEvent> run = history(workflowId, runId, maxEvents - events);
            boolean cut = run.size() > maxEvents - events;
            if (cut && !runs.isEmpty()) {
                return new Runs(List.copyOf(runs), true); // an older run that does not fit is left out whole
            }
            runs.addFirst(cut ? run.subList(0, maxEvents - events) : run);
            if (cut) {
                return new Runs(List.copyOf(runs), true); // the newest run alone is too long: its start is shown
            }
            events += run.size();
            String previous = run.isEmpty()
                            || run.get(0).getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
                    ? ""
                    : run.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
            if (previous.isEmpty()) {
                return new Runs(List.copyOf(runs), false);
            }
            runId = previous;
        }
    }

    /**
     * The result of the first completion of activity {@code activityType}, following the runs
     * forward from the first ({@code newExecutionRunId} of each continue-as-new), reading at most
     * {@code maxEvents} events; empty when there is none (yet).
     *
     * @throws io.grpc.StatusRuntimeException from the service, e.g. {@code NOT_FOUND}
     */
    Optional<Payloads> firstResultOf(String workflowId, String activityType) {
        String runId = firstRunId(workflowId);
        Set<Long> scheduled = new HashSet<>();
        int read = 0;
        while (runId != null) {
            String next = null;
            ByteString page = ByteString.EMPTY;
            scheduled.clear();
            do {
                GetWorkflowExecutionHistoryResponse response = page(workflowId, runId, page, 0);
                for (HistoryEvent event : response.getHistory().getEventsList()) {
                    if (event.hasActivityTaskScheduledEventAttributes()
                            && event.getActivityTaskScheduledEventAttributes()
                                    .getActivityType()
                                    .getName()
                                    .equals(activityType)) {
                        scheduled.add(event.getEventId());
                    } else if (event.hasActivityTaskCompletedEventAttributes()
                            && scheduled.contains(event.getActivityTaskCompletedEventAttributes()
                                    .getScheduledEventId())) {
                        return Optional.of(
                                event.getActivityTaskCompletedEventAttributes().getResult());
                    } else if (isLocalActivity(event, activityType)) {
                        return Optional.of(
                                event.getMarkerRecordedEventAttributes().getDetailsOrThrow("result"));
                    } else if (event.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
                        next = event.getWorkflowExecutionContinuedAsNewEventAttributes()
                                .getNewExecutionRunId();
                    }
                }
                read += response.getHistory().getEventsCount();
                if (read > maxEvents) {
                    return Optional.empty();
                }
                page = response.getNextPageToken();
            } while (!page.isEmpty());
            runId = next == null || next.isEmpty() ? null : next;
        }
        return Optional.empty();
    }

    /** Whether {@code event} records a local activity of {@code activityType} that returned a result. */
    private static boolean isLocalActivity(HistoryEvent event, String activityType) {
        if (!event.hasMarkerRecordedEventAttributes()) {
            return false;
        }
        var marker = event.getMarkerRecordedEventAttributes();
        if (!"LocalActivity".equals(marker.getMarkerName())
                || !marker.containsDetails("type")
                || !marker.containsDetails("result")
                || marker.getDetailsOrThrow("type").getPayloadsCount() == 0) {
            return false;
        }
        // The type is a JSON string: "JobSubmit".
        return marker.getDetailsOrThrow("type")
                .getPayloads(0)
                .getData()
                .toStringUtf8()
                .equals("\"" + activityType + "\"");
    }

    /** The id of the workflow's first run, from the first event of its newest run. */
    private String firstRunId(String workflowId) {
        String runId = "";
        while (true) {
            List<HistoryEvent> first =
                    page(workflowId, runId, ByteString.EMPTY, 1).getHistory().getEventsList();
            if (first.isEmpty() || !first.get(0).hasWorkflowExecutionStartedEventAttributes()) {
                return runId;
            }
            var started = first.get(0).getWorkflowExecutionStartedEventAttributes();
            if (!started.getFirstExecutionRunId().isEmpty()) {
                return started.getFirstExecutionRunId();
            }
            if (started.getContinuedExecutionRunId().isEmpty()) {
                return started.getOriginalExecutionRunId().isEmpty() ? runId : started.getOriginalExecutionRunId();
            }
            runId = started.getContinuedExecutionRunId(); // a server that does not name the first run
        }
    }

    private GetWorkflowExecutionHistoryResponse page(String workflowId, String runId, ByteString token, int size) {
        return client.getWorkflowServiceStubs()
                .blockingStub()
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder()
                                .setWorkflowId(workflowId)
                                .setRunId(runId))
                        .setNextPageToken(token)
                        .setMaximumPageSize(size)
                        .build());
    }

    /** One run's events; more than {@code budget} of them when the run is longer (it stops reading there). */
    private List<HistoryEvent> history(String workflowId, String runId, int budget) {
        List<HistoryEvent> events = new ArrayList<>();
        ByteString page = ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse response = page(workflowId, runId, page, 0);
            events.addAll(response.getHistory().getEventsList());
            if (events.size() > budget) {
                return events;
            }
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return events;
    }
}
