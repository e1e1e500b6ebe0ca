package dev.hubble.activities.batch;

import dev.hubble.core.job.PythonJobNames;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code python} driver on AWS Batch ({@code hubble.drivers.python.*}, beside the settings
 * every driver has): where jobs are submitted, and the catalog of jobs a {@code query} may name.
 *
 * @param batch the Batch and CloudWatch Logs endpoints and how they are called; required
 * @param jobs the jobs, by the name a job's {@code query} gives (a Python job name: a letter or
 *     underscore, then letters, digits or underscores)
 * @param maxRunnable how long a job may wait for compute capacity (SUBMITTED, PENDING, RUNNABLE:
 *     measured from its submission) before it is terminated and fails; a queue whose compute
 *     environment cannot run it leaves a job RUNNABLE for ever
 */
@Validated
@ConfigurationProperties("hubble.drivers.python")
public record PythonBatchProperties(
        Batch batch,
        Map<String, Job> jobs,
        @DefaultValue("30m") Duration maxRunnable) {

    public PythonBatchProperties {
        if (batch == null) {
            throw new IllegalArgumentException("set hubble.drivers.python.batch.job-queue and"
                    + " hubble.drivers.python.batch.region for the python driver on AWS Batch");
        }
        jobs = jobs == null ? Map.of() : Map.copyOf(jobs);
        jobs.keySet().forEach(name -> {
            if (!PythonJobNames.isValid(name)) {
                throw new IllegalArgumentException(
                        "hubble.drivers.python.jobs." + name + ": not a Python job name (a letter"
                                + " or underscore, then letters, digits or underscores, at most "
                                + PythonJobNames.MAX_LENGTH + ")");
            }
        });
        if (maxRunnable == null || maxRunnable.isNegative() || maxRunnable.isZero()) {
            throw new IllegalArgumentException("hubble.drivers.python.max-runnable must be positive");
        }
    }

    /**
     * AWS Batch and CloudWatch Logs ({@code hubble.drivers.python.batch.*}). Credentials come from
     * the AWS SDK's default chain (environment, profile, instance or task role).
     *
     * @param jobQueue the job queue, name or ARN, of jobs that do not name their own; required
     * @param region the region of the queue and its logs; required
     * @param endpoint Batch's endpoint, e.g. a VPC endpoint; AWS's when unset
     * @param logsEndpoint CloudWatch Logs' endpoint; AWS's when unset
     * @param logGroup the log group of the jobs' containers ({@code awslogs} driver)
     * @param apiUrl Hubble's REST API as the containers reach it ({@code HUBBLE_API_URL});
     *     {@code hubble.api.public-url} when unset
     * @param jobNamePrefix starts every Batch job name ({@code <prefix><job id>}), so that jobs of
     *     several installations sharing a queue do not collide
     * @param requestTimeout one call to Batch or CloudWatch Logs, retries included
     * @param maxAttempts tries of a call that failed with a server error or throttling, with the
     *     SDK's backoff between them; what still fails is retried by the activity
     * @param cancelTimeout how long a cancel waits for Batch to report the terminated job ended
     * @param logTailLines lines of the container's log that make a failed job's diagnostics
     */
    public record Batch(
            @Nullable String jobQueue,
            @Nullable String region,
            @Nullable URI endpoint,
            @Nullable URI logsEndpoint,
            @DefaultValue("/aws/batch/job") String logGroup,
            @Nullable URI apiUrl,
            @DefaultValue("hubble-") String jobNamePrefix,
            @DefaultValue("30s") Duration requestTimeout,
            @DefaultValue("5") @Min(1) int maxAttempts,
            @DefaultValue("30s") Duration cancelTimeout,
            @DefaultValue("50") @Min(1) int logTailLines) {

        private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,60}");

        public Batch {
            if (jobQueue == null || jobQueue.isBlank()) {
                throw new IllegalArgumentException(
                        "set hubble.drivers.python.batch.job-queue to the AWS Batch job queue");
            }
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException(
                        "set hubble.drivers.python.batch.region to the job queue's AWS region");
            }
            if (jobNamePrefix == null || !PREFIX.matcher(jobNamePrefix).matches()) {
                throw new IllegalArgumentException(
                        "hubble.drivers.python.batch.job-name-prefix must start with a letter or"
                                + " digit and hold only letters, digits, '_' and '-' (at most 61)");
            }
            for (Duration timeout : new Duration[] {requestTimeout, cancelTimeout}) {
                if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                    throw new IllegalArgumentException(
                            "the timeouts under hubble.drivers.python.batch must be positive");
                }
            }
        }
    }

    /**
     * One job of the catalog ({@code hubble.drivers.python.jobs.<name>.*}).
     *
     * @param jobDefinition the registered job definition, {@code name}, {@code name:revision} or
     *     its ARN; required
     * @param jobQueue this job's own queue; {@code hubble.drivers.python.batch.job-queue} when unset
     * @param timeout the longest one attempt may run (Batch kills it then, at least 60 s); the
     *     Hubble job's own timeout when unset
     * @param vcpus vCPUs of the container, e.g. {@code 2} or {@code 0.5}; the definition's when unset
     * @param memory memory of the container, e.g. {@code 4GB}; the definition's when unset
     */
    public record Job(
            @Nullable String jobDefinition,
            @Nullable String jobQueue,
            @Nullable Duration timeout,
            @Nullable BigDecimal vcpus,
            @Nullable DataSize memory) {

        public Job {
            if (jobDefinition == null || jobDefinition.isBlank()) {
                throw new IllegalArgumentException(
                        "set hubble.drivers.python.jobs.<name>.job-definition for every job");
            }
            if (timeout != null && timeout.toSeconds() < 60) {
                throw new IllegalArgumentException("hubble.drivers.python.jobs.<name>.timeout must be at least 60s"
                        + " (AWS Batch's shortest attempt timeout), got " + timeout);
            }
            if (vcpus != null && vcpus.signum() <= 0) {
                throw new IllegalArgumentException("hubble.drivers.python.jobs.<name>.vcpus must be positive");
            }
            if (memory != null && memory.toMegabytes() < 4) {
                throw new IllegalArgumentException("hubble.drivers.python.jobs.<name>.memory must be at least 4MB");
            }
        }
    }
}
