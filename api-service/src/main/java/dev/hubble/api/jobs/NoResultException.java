package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;
import dev.hubble.core.job.JobState;

/** The job has no result files to list: it has not succeeded (yet). */
final class NoResultException extends ProblemException {

    NoResultException(String jobId, JobState state) {
        super(ProblemType.RESULT_NOT_FOUND, "Job " + jobId + " has no result: it is " + state + ".", null);
    }
}
