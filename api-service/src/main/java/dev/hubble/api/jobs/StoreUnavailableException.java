package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** The job store is down and the request has no other way to be answered (listing jobs). */
final class StoreUnavailableException extends ProblemException {

    StoreUnavailableException(Throwable cause) {
        super(ProblemType.STORE_UNAVAILABLE, "The job store cannot be reached right now; try again later.", cause);
    }
}
