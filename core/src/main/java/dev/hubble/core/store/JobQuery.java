package dev.hubble.core.store;

import dev.hubble.core.job.JobState;
import org.springframework.lang.Nullable;

/**
 * A filter over stored jobs; a null field matches anything.
 *
 * @param source only jobs submitted by this source
 * @param state only jobs in this state
 * @param driver only jobs of this driver
 * @param limit at most this many jobs
 */
public record JobQuery(
        @Nullable String source,
        @Nullable JobState state,
        @Nullable String driver,
        int limit) {

    public JobQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }
}
