package dev.hubble.core.temporal;

import dev.hubble.core.job.JobRecord;
import java.util.Objects;
import org.springframework.lang.Nullable;

/**
 * The argument of {@link JobWorkflow#run}: the job's record, and, when the workflow continued as
 * new, the progress of the runs before.
 */
public record JobWorkflowInput(JobRecord record, @Nullable JobProgress progress) {

    public JobWorkflowInput {
        Objects.requireNonNull(record, "record");
    }

    /** The input of a job's first run. */
    public static JobWorkflowInput start(JobRecord record) {
        return new JobWorkflowInput(record, null);
    }
}
