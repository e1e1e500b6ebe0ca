package dev.hubble.api.results;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** No such result file: a name that cannot be one, or a file that is gone. */
final class ResultNotFoundException extends ProblemException {

    ResultNotFoundException() {
        super(ProblemType.RESULT_NOT_FOUND, "There is no such result file.", null);
    }
}
