package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;

/** Neither the job store nor Temporal knows the job. */
public final class JobNotFoundException extends ProblemException {

    public JobNotFoundException(String jobId) {
        super(
                ProblemType.JOB_NOT_FOUND,
                "There is no job " + (JobIds.isValid(jobId) ? jobId : "with this id") + ".",
                null);
    }
}
