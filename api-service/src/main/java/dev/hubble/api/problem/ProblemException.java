package dev.hubble.api.problem;

import org.springframework.lang.Nullable;
import org.springframework.web.ErrorResponseException;

/**
 * An error a feature answers with a problem of a known {@link ProblemType}. Features define one
 * subclass per reason (job not found, link invalid...), so code and logs name the reason.
 */
public abstract class ProblemException extends ErrorResponseException {

    private final ProblemType type;

    /**
     * @param detail for the client; never exception text, which may leak internals
     * @param cause kept for the server's log only
     */
    protected ProblemException(ProblemType type, String detail, @Nullable Throwable cause) {
        super(type.status(), type.problem(detail), cause);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }
}
