package dev.hubble.activities.livy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * A Livy batch as {@code GET /batches/{id}} shows it.
 *
 * @param id Livy's number for it; reused after a Livy restart, so never how a job finds it again
 * @param name the name Hubble gave it, unique per job
 * @param state Livy's state, e.g. {@code running}
 * @param appId the cluster's application id (YARN's {@code application_...}) once known
 * @param sparkUiUrl the Spark UI (or YARN's proxy of it) once known
 * @param driverLogUrl the driver's log once known
 * @param log the last lines of the batch's log that Livy shows with it
 */
record LivyBatch(
        int id,
        @Nullable String name,
        String state,
        @Nullable String appId,
        @Nullable String sparkUiUrl,
        @Nullable String driverLogUrl,
        List<String> log) {

    LivyBatch {
        Objects.requireNonNull(state, "state");
        log = List.copyOf(log);
    }

    static LivyBatch of(JsonNode json) {
        if (json == null || !json.hasNonNull("id") || !json.hasNonNull("state")) {
            throw new IllegalStateException("Livy answered a batch without id or state: " + json);
        }
        JsonNode appInfo = json.path("appInfo");
        List<String> log = new ArrayList<>();
        json.path("log").forEach(line -> log.add(line.asText()));
        return new LivyBatch(
                json.get("id").asInt(),
                text(json, "name"),
                json.get("state").asText(),
                text(json, "appId"),
                text(appInfo, "sparkUiUrl"),
                text(appInfo, "driverLogUrl"),
                log);
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
