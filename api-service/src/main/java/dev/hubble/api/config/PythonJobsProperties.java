package dev.hubble.api.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.lang.Nullable;

/**
 * Where the {@code local-python} driver finds its jobs ({@code hubble.drivers.local-python.jobs-dir},
 * the same property the workers read), so the API can refuse an unknown Python job at submit time
 * with the list of available ones (its {@link dev.hubble.core.job.JobCatalog}).
 *
 * @param jobsDir the directory of {@code <name>.py} jobs; unset where the driver is not enabled
 */
@ConfigurationProperties("hubble.drivers.local-python")
public record PythonJobsProperties(@Nullable Path jobsDir) {}
