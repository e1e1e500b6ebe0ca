package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** Temporal did not answer (unreachable, overloaded or too slow); the request may be retried. */
public final class TemporalUnavailableException extends ProblemException {

    public TemporalUnavailableException(Throwable cause) {
        super(ProblemType.TEMPORAL_UNAVAILABLE, "Temporal cannot be reached right now; try again later.", cause);
    }
}
