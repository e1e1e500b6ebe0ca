package dev.hubble.core.temporal;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Reads job logs through the drivers' runners; see {@link JobLogWorkflow}. Read-only, safe to retry. */
@ActivityInterface(namePrefix = "JobLog")
public interface JobLogActivities {

    /** The last {@code lines} lines of the remote job's log, oldest first; empty when there is none. */
    List<String> tail(RunHandle handle, int lines);
}
