package dev.hubble.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hubble.core.gate.Gates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.lang.Nullable;

/**
 * What each activity, signal received and signal sent of a job workflow means on the timeline:
 * the one table to extend when the workflow gains an activity or a signal. Anything not listed
 * still appears, under a generic kind ({@code activity}, {@code signal}, {@code signal-sent}),
 * so a new name is never lost, only less well described.
 *
 * <p>Describers read payloads as JSON trees, not as Hubble's records, so a timeline of an older
 * workflow whose payloads have other fields still reads; a missing field is simply left out.
 * They copy states, ids, counts and messages, never tokens or links.
 */
final class TimelineCatalog {

    /** Longest text (a message, a log excerpt) copied into an entry's details. */
    static final int MAX_TEXT = 2_000;

    private TimelineCatalog() {}

    /** A finished activity: its type, arguments, result (null if it failed) and attempts. */
    record Call(String type, JsonNode input, JsonNode result, int attempts) {

        JsonNode argument(int index) {
            return input.path(index);
        }
    }

    /** What an entry says: its summary and details. */
    record Line(String summary, Map<String, Object> details) {}

    /**
     * How an activity shows.
     *
     * @param kind the entries' kind
     * @param whenScheduled whether the entry is dated when the workflow scheduled the activity
     *     (what it records happened then: a transition, the start of a wait) rather than when
     *     the activity finished (what it learned: a submission, a poll)
     * @param changesOnly shows a completion only when its result differs from the previous one of
     *     the same activity (polls); the completions skipped are counted in the next entry
     * @param since the kind of an earlier entry whose distance in time this entry reports
     *     ({@code after}), or null
     * @param describe the entry, or empty to show nothing
     */
    record ActivityView(
            String kind,
            boolean whenScheduled,
            boolean changesOnly,
            @Nullable String since,
            Function<Call, Optional<Line>> describe) {

        /** An activity dated when it finished. */
        static ActivityView finished(String kind, Function<Call, Optional<Line>> describe) {
            return new ActivityView(kind, false, false, null, describe);
        }

        /** An activity dated when the workflow scheduled it. */
        static ActivityView scheduled(String kind, Function<Call, Optional<Line>> describe) {
            return new ActivityView(kind, true, false, null, describe);
        }

        /** Shown only when its result differs from the previous one of the same activity. */
        ActivityView showingChangesOnly() {
            return new ActivityView(kind, whenScheduled, true, since, describe);
        }
    }

    /** How a signal, received or sent, shows; its arguments come as a JSON array. */
    record SignalView(String kind, @Nullable String since, Function<JsonNode, Line> describe) {}

    static final Map<String, ActivityView> ACTIVITIES = Map.ofEntries(
            // A transition is stored (and usually sent) by one local activity.
            Map.entry("JobStateStoreAndTryPublish", ActivityView.scheduled("transition", TimelineCatalog::transition)),
            Map.entry("JobStateStore", ActivityView.scheduled("transition", TimelineCatalog::transition)),
            // The retried send of an event Kafka did not take at once: not a change of the job.
            Map.entry("JobStatePublish", ActivityView.finished("event-sent", call -> Optional.empty())),
            Map.entry(
                    "GateRequestPermit", ActivityView.scheduled("permit-requested", TimelineCatalog::permitRequested)),
            Map.entry(
                    "GateReleasePermit",
                    ActivityView.finished(
                            "permit-released", call -> Optional.of(line("The permit went back to the driver's gate")))),
            Map.entry("JobSubmit", ActivityView.finished("submitted", TimelineCatalog::submitted)),
            Map.entry(
                    "JobWatch",
                    ActivityView.finished("poll", TimelineCatalog::polled).showingChangesOnly()),
            Map.entry(
                    "JobCancel",
                    ActivityView.finished(
                            "remote-killed",
                            call -> Optional.of(line("The remote job was killed (or had already ended)")))),
            Map.entry("JobDiagnostics", ActivityView.finished("diagnostics", TimelineCatalog::diagnostics)),
            Map.entry("JobCollectResult", ActivityView.finished("result-listed", TimelineCatalog::resultListed)),
            // The gate's own liveness check: nothing that happened to the job.
            Map.entry("GateNotRunning", ActivityView.finished("gate-check", call -> Optional.empty())));

    static final Map<String, SignalView> SIGNALS_RECEIVED = Map.of(
            Gates.PERMIT_GRANTED,
            new SignalView(
                    "permit-granted", "permit-requested", args -> line("The driver's gate granted the job its permit")),
            "reportError",
            new SignalView("error-reported", null, TimelineCatalog::errorReported),
            "reportProgress",
            new SignalView(
                    "progress-reported",
                    null,
                    args -> new Line(
                            "The job reported it is " + text(args.path(0).path("phase")),
                            details(
                                    "phase",
                                    text(args.path(0).path("phase")),
                                    "message",
                                    clip(text(args.path(0).path("message")))))),
            "requestCancel",
            new SignalView("cancel-requested", null, args -> line("Cancellation was requested")));

    /** The generic view of an activity the table does not list. */
    static ActivityView unknownActivity() {
        return ActivityView.finished(
                "activity",
                call -> Optional.of(line("Activity " + call.type() + " completed", "activity", call.type())));
    }

    /** The generic view of a signal the table does not list. */
    static SignalView unknownSignal(String name, boolean sent) {
        return new SignalView(
                sent ? "signal-sent" : "signal",
                null,
                args -> new Line(
                        (sent ? "Sent signal " : "Received signal ") + name,
                        scalars(args.path(0), Map.of("signal", name))));
    }

    private static Optional<Line> transition(Call call) {
        JsonNode record = call.argument(0);
        String state = text(record.path("state"));
        String error = text(record.at("/error/message"));
        Map<String, Object> details = details(
                "state", state,
                "sequence",
                        record.path("sequence").isNumber()
                                ? record.path("sequence").asLong()
                                : null,
                "updatedAt", text(record.path("updatedAt")),
                "error", clip(error),
                "errorDetail", clip(text(record.at("/error/detail"))));
        JsonNode files = record.at("/result/files");
        if (files.isArray()) {
            details.put("fileCount", files.size());
        }
        return Optional.of(new Line("The job is " + state + (error == null ? "" : ": " + clip(error)), details));
    }

    private static Optional<Line> submitted(Call call) {
        String driver = text(call.result().path("driver"));
        String remoteId = text(call.result().path("remoteId"));
        return Optional.of(new Line(
                "Submitted to " + driver + (remoteId == null ? "" : " as " + remoteId),
                details("driver", driver, "remoteId", remoteId)));
    }

    private static Optional<Line> polled(Call call) {
        String phase = text(call.result().path("phase"));
        String message = clip(text(call.result().path("message")));
        return Optional.of(new Line(
                "The engine reports " + phase + (message == null ? "" : ": " + message),
                details("phase", phase, "message", message)));
    }

    private static Optional<Line> diagnostics(Call call) {
        String text = text(call.result());
        return Optional.of(new Line(
                text == null ? "The engine had no diagnostics" : "Read the engine's diagnostics",
                details("diagnostics", clip(text))));
    }

    private static Optional<Line> resultListed(Call call) {
        JsonNode files = call.result().path("files");
        long bytes = 0;
        for (JsonNode file : files) {
            bytes += file.path("sizeBytes").asLong();
        }
        return Optional.of(new Line(
                "Listed " + files.size() + " result file" + (files.size() == 1 ? "" : "s") + " (" + bytes + " bytes)",
                details(
                        "fileCount",
                        files.size(),
                        "totalBytes",
                        bytes,
                        "format",
                        text(call.result().path("format")))));
    }

    private static Optional<Line> permitRequested(Call call) {
        String driver = text(call.argument(0));
        JsonNode priority = call.argument(1).path("priority");
        return Optional.of(new Line(
                "Waiting for a permit of the " + driver + " gate"
                        + (priority.isNumber() ? " (priority " + priority.asInt() + ")" : ""),
                details("driver", driver, "priority", priority.isNumber() ? priority.asInt() : null)));
    }

    private static Line errorReported(JsonNode args) {
        String message = clip(text(args.path(0).path("message")));
        return new Line(
                "The job reported an error" + (message == null ? "" : ": " + message),
                details("message", message, "detail", clip(text(args.path(0).path("detail")))));
    }

    static Line line(String summary, Object... details) {
        return new Line(summary, details(details));
    }

    static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                details.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return details;
    }

    /** The scalar fields of an object argument (or the argument itself when scalar), clipped. */
    private static Map<String, Object> scalars(JsonNode argument, Map<String, Object> first) {
        Map<String, Object> details = new LinkedHashMap<>(first);
        if (argument.isValueNode()) {
            details.put("value", clip(argument.asText()));
        } else if (argument.isObject()) {
            argument.fields().forEachRemaining(field -> {
                if (field.getValue().isValueNode() && !field.getValue().isNull() && !isSecretName(field.getKey())) {
                    details.put(field.getKey(), clip(field.getValue().asText()));
                }
            });
        }
        return details;
    }

    private static boolean isSecretName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("token")
                || lower.contains("secret")
                || lower.contains("password")
                || lower.contains("url");
    }

    static @Nullable String text(@Nullable JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node instanceof MissingNode
                ? null
                : node.asText();
    }

    static @Nullable String clip(@Nullable String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "… (" + (text.length() - MAX_TEXT) + " more characters)";
    }
}
