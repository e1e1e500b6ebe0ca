package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;
import org.springframework.http.HttpHeaders;

/** A call only the job itself may make came without its token, with an expired one, or with another one. */
final class JobTokenException extends ProblemException {

    private JobTokenException(ProblemType type, String detail) {
        super(type, detail, null);
        if (type == ProblemType.JOB_TOKEN_MISSING) {
            getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hubble-jobs\"");
        } else if (type == ProblemType.JOB_TOKEN_EXPIRED) {
            getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hubble-jobs\", error=\"invalid_token\"");
        }
    }

    static JobTokenException missing() {
        return new JobTokenException(
                ProblemType.JOB_TOKEN_MISSING,
                "send the job's own token, which it received as HUBBLE_JOB_TOKEN, as 'Authorization: Bearer <token>'");
    }

    static JobTokenException expired() {
        return new JobTokenException(
                ProblemType.JOB_TOKEN_EXPIRED,
                "the job's token has expired: it is valid until the job's timeout plus hubble.jobs.token-margin");
    }

    static JobTokenException invalid() {
        return new JobTokenException(ProblemType.JOB_TOKEN_INVALID, "the token is not this job's token");
    }
}
