package dev.hubble.core.temporal;

import java.util.Map;
import java.util.Objects;

/**
 * How a driver finds a job it submitted: its id at the engine (a Livy batch id, an AWS Batch job
 * id, a local execution id) and whatever else the driver needs to reach it again.
 *
 * @param driver the driver that submitted the job
 * @param remoteId the job's id at the engine
 * @param attributes driver-specific details, e.g. the output location
 */
public record RunHandle(String driver, String remoteId, Map<String, String> attributes) {

    public RunHandle {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(remoteId, "remoteId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
