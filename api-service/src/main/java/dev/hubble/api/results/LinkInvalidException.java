package dev.hubble.api.results;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** A download link whose signature does not match its job, file and expiry, or that has expired. */
final class LinkInvalidException extends ProblemException {

    LinkInvalidException() {
        super(
                ProblemType.LINK_INVALID,
                "The download link is invalid or has expired; read the job again for a fresh one.",
                null);
    }
}
