package dev.hubble.api.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problems Hubble's API answers with. The {@link #uri() type URI} is part of the API
 * contract: clients branch on it, so a name never changes once published.
 */
public enum ProblemType {
    /** The request is malformed or a field is invalid; {@code errors} names the fields. */
    INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request"),
    /** No job has this id. */
    JOB_NOT_FOUND("job-not-found", HttpStatus.NOT_FOUND, "Job not found"),
    /** The job has reached a terminal state, so it can no longer be cancelled or told anything. */
    JOB_FINISHED("job-finished", HttpStatus.CONFLICT, "Job already finished"),
    /** A call only a job may make came without the job's token ({@code Authorization: Bearer}). */
    JOB_TOKEN_MISSING("job-token-missing", HttpStatus.UNAUTHORIZED, "Job token required"),
    /** The job's own token, but it has expired (the job's timeout has long passed). */
    JOB_TOKEN_EXPIRED("job-token-expired", HttpStatus.UNAUTHORIZED, "Job token expired"),
    /** The token presented is not the job's own. */
    JOB_TOKEN_INVALID("job-token-invalid", HttpStatus.FORBIDDEN, "Job token does not match"),
    /** A {@code /v1} call came without a valid bearer token while authentication is on. */
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),
    /** The caller may not do this, e.g. read or cancel a job of another source. */
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
    /** A download link's signature does not match, or it has expired. */
    LINK_INVALID("link-invalid", HttpStatus.FORBIDDEN, "Download link invalid or expired"),
    /** The link is valid but the file is not (or no longer) there. */
    RESULT_NOT_FOUND("result-not-found", HttpStatus.NOT_FOUND, "Result file not found"),
    /** Temporal cannot be reached right now; retrying later may succeed. */
    TEMPORAL_UNAVAILABLE("temporal-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Temporal unavailable"),
    /** The job store cannot be reached and there is no other way to answer. */
    STORE_UNAVAILABLE("store-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Job store unavailable"),
    /** A bug or an unforeseen failure; the server logged it. */
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private static final String PREFIX = "urn:hubble:problem:";

    private final URI uri;
    private final HttpStatus status;
    private final String title;

    ProblemType(String name, HttpStatus status, String title) {
        this.uri = URI.create(PREFIX + name);
        this.status = status;
        this.title = title;
    }

    /** The stable type URI, {@code urn:hubble:problem:<name>}. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status this problem is answered with. */
    public HttpStatus status() {
        return status;
    }

    /** A new problem of this type with {@code detail}, which must not contain exception text. */
    public ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(uri);
        problem.setTitle(title);
        return problem;
    }
}
