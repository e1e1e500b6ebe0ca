package dev.hubble.worker.gate;

import io.temporal.activity.ActivityInterface;

/** Where holder workflows report their grants and releases, measured outside the gate. */
@ActivityInterface(namePrefix = "Timeline")
public interface Timeline {

    void granted(String jobId);

    void released(String jobId);
}
