package dev.hubble.api.config;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The jobs configured for the AWS Batch {@code python} driver ({@code hubble.drivers.python.jobs.<name>.*},
 * the same properties the workers read); the API needs only their names, for the driver's
 * {@link dev.hubble.core.job.JobCatalog}.
 *
 * @param jobs each job's settings by name; only the names are read here
 */
@ConfigurationProperties("hubble.drivers.python")
public record BatchJobsProperties(Map<String, Object> jobs) {

    public BatchJobsProperties {
        jobs = jobs == null ? Map.of() : Map.copyOf(jobs);
    }
}
