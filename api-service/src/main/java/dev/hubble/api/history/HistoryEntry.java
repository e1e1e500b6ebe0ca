package dev.hubble.api.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a job's timeline.
 *
 * @param time when it happened, as Temporal recorded it
 * @param kind what happened, a stable lower-case word (e.g. {@code transition},
 *     {@code permit-granted}, {@code activity-retried}); clients may branch on it
 * @param summary one sentence for a person
 * @param details the facts behind the summary (states, attempts, failure messages), in a stable
 *     order; never tokens or result links
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HistoryEntry(Instant time, String kind, String summary, Map<String, Object> details) {

    public HistoryEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Map<String, Object> kept = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((key, value) -> {
                if (value != null) {
                    kept.put(key, value);
                }
            });
        }
        details = Collections.unmodifiableMap(kept);
    }
}
