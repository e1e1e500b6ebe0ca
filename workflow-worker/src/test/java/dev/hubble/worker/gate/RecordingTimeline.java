package dev.hubble.worker.gate;

import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records when each holder got and gave back its permit (test-server time) and the most holders
 * seen at once. Holds are counted from "granted" (after the grant arrived) to "released" (before
 * the release is sent), so a count above capacity can only come from the gate.
 */
final class RecordingTimeline implements Timeline {

    private final TestWorkflowEnvironment env;
    private final List<String> grantOrder = new ArrayList<>();
    private final Map<String, Long> grantedAt = new HashMap<>();
    private final Map<String, Long> releasedAt = new HashMap<>();
    private int holding;
    private int mostHolding;

    RecordingTimeline(TestWorkflowEnvironment env) {
        this.env = env;
    }

    @Override
    public synchronized void granted(String jobId) {
        grantOrder.add(jobId);
        grantedAt.put(jobId, env.currentTimeMillis());
        mostHolding = Math.max(mostHolding, ++holding);
    }

    @Override
    public synchronized void released(String jobId) {
        releasedAt.put(jobId, env.currentTimeMillis());
        holding--;
    }

    synchronized List<String> grantOrder() {
        return List.copyOf(grantOrder);
    }

    synchronized int mostHoldingAtOnce() {
        return mostHolding;
    }

    synchronized int holdingNow() {
        return holding;
    }

    synchronized long grantedAt(String jobId) {
        return grantedAt.get(jobId);
    }

    synchronized long releasedAt(String jobId) {
        return releasedAt.get(jobId);
    }

    synchronized boolean released(Iterable<String> jobIds) {
        for (String jobId : jobIds) {
            if (!releasedAt.containsKey(jobId)) {
                return false;
            }
        }
        return true;
    }
}
