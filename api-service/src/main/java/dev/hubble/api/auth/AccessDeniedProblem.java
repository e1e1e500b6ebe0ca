package dev.hubble.api.auth;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** The caller is authenticated but may not do this: {@code 403 forbidden}. */
public final class AccessDeniedProblem extends ProblemException {

    AccessDeniedProblem(String detail) {
        super(ProblemType.FORBIDDEN, detail, null);
    }
}
