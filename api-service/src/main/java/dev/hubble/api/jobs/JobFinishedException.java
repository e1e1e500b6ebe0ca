package dev.hubble.api.jobs;

import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;
import dev.hubble.core.job.JobState;
import org.springframework.lang.Nullable;

/** The job is in a terminal state (or its workflow has closed), so it cannot be changed any more. */
final class JobFinishedException extends ProblemException {

    JobFinishedException(String jobId, @Nullable JobState state) {
        super(
                ProblemType.JOB_FINISHED,
                "Job " + jobId + " has already finished" + (state == null ? "." : " (" + state + ")."),
                null);
    }
}
