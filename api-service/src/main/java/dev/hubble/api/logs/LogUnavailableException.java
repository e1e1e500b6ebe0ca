package dev.hubble.api.logs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** No worker of the job's driver returned its log in time: none runs, or all are busy. */
final class LogUnavailableException extends ProblemException {

    LogUnavailableException(String driver, Throwable cause) {
        super(
                ProblemType.LOG_UNAVAILABLE,
                "No worker of driver " + driver + " returned the job's log in time; try again later.",
                cause);
    }
}
