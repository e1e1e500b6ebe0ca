package dev.hubble.api.history;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@code GET /v1/jobs/{id}/history}.
 *
 * @param jobId the job
 * @param runs how many workflow runs the timeline covers (one more per continue-as-new)
 * @param truncated whether older runs were left out because the history is longer than
 *     {@code hubble.history.max-events}; the newest runs are always there
 * @param entries oldest first
 */
public record JobHistory(String jobId, int runs, boolean truncated, List<HistoryEntry> entries) {

    public JobHistory {
        Objects.requireNonNull(jobId, "jobId");
        entries = List.copyOf(entries);
    }
}
