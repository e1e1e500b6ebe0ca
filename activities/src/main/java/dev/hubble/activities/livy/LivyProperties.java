package dev.hubble.activities.livy;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code spark} driver's Livy ({@code hubble.drivers.spark.livy.*}, beside the settings every
 * driver has under {@code hubble.drivers.spark.*}).
 *
 * @param url Livy's base URL, {@code http://} or {@code https://}; required
 * @param jar where Livy finds the spark-job jar, as Spark reads it: {@code s3://bucket/hubble-spark-job.jar}
 *     on EMR, {@code file:///...} (in Livy's {@code local-dir-whitelist}) locally; required
 * @param className the spark-job main class
 * @param conf Spark settings for every batch ({@code spark.*}); never put secrets here, the
 *     Spark UI shows them
 * @param queue the YARN queue
 * @param proxyUser the user Livy runs batches as
 * @param driverMemory e.g. {@code 2g}
 * @param driverCores cores of the driver
 * @param executorMemory e.g. {@code 4g}
 * @param executorCores cores of each executor
 * @param numExecutors how many executors
 * @param requestedBy the {@code X-Requested-By} header, for a Livy with CSRF protection on
 * @param username basic-auth user, for a Livy behind basic auth (with {@code password})
 * @param password basic-auth password
 * @param apiUrl Hubble's REST API as the Spark driver reaches it, where spark-job reports
 * @param batchNamePrefix starts every batch name ({@code <prefix><job id>}), so that a name is
 *     never all digits (Livy would take it for an id) and batches of several installations
 *     sharing one Livy do not collide
 * @param connectTimeout connecting to Livy
 * @param requestTimeout one request to Livy, submit and polls
 * @param cancelTimeout the kill of a batch, so that cancelling never waits long for Livy
 * @param logTailLines lines of the batch log that make a failed job's diagnostics
 * @param vanishedAfter how long a batch may be unknown to Livy, without an outcome file in its
 *     location, before the job fails as vanished (Livy or its host restarted and took the Spark
 *     driver with it); counted from the last poll that found the batch. Until then a poll says
 *     {@code NOT_FOUND}, and looks again. Keep it below the span of the driver's five first polls
 *     ({@code poll-initial} times 1+2+4+8 with the default factor): five {@code NOT_FOUND}s in a
 *     row fail the job with a less precise message
 */
@Validated
@ConfigurationProperties("hubble.drivers.spark.livy")
public record LivyProperties(
        URI url,
        URI jar,

        @DefaultValue("dev.hubble.sparkjob.SparkJob") @NotBlank
        String className,

        Map<String, String> conf,
        @Nullable String queue,
        @Nullable String proxyUser,
        @Nullable String driverMemory,
        @Nullable @Min(1) Integer driverCores,
        @Nullable String executorMemory,
        @Nullable @Min(1) Integer executorCores,
        @Nullable @Min(1) Integer numExecutors,
        @Nullable String requestedBy,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("http://localhost:8080") @NotNull URI apiUrl,
        @DefaultValue("hubble-") String batchNamePrefix,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("10s") Duration cancelTimeout,
        @DefaultValue("100") @Min(1) int logTailLines,
        @DefaultValue("5s") Duration vanishedAfter) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    public LivyProperties {
        if (url == null) {
            throw new IllegalArgumentException(
                    "set hubble.drivers.spark.livy.url to Livy's base URL, e.g. http://livy:8998");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("hubble.drivers.spark.livy.url must be http:// or https://, got " + url);
        }
        if (jar == null) {
            throw new IllegalArgumentException("set hubble.drivers.spark.livy.jar to the spark-job jar as Spark"
                    + " reads it, e.g. s3://bucket/hubble-spark-job.jar");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(
                    "set both hubble.drivers.spark.livy.username and hubble.drivers.spark.livy.password, or neither");
        }
        if (batchNamePrefix == null || !PREFIX.matcher(batchNamePrefix).matches()) {
            throw new IllegalArgumentException("hubble.drivers.spark.livy.batch-name-prefix must start with a letter"
                    + " and hold only letters, digits, '.', '_' and '-'");
        }
        for (Duration timeout : new Duration[] {connectTimeout, requestTimeout, cancelTimeout}) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeouts under hubble.drivers.spark.livy must be positive");
            }
        }
        if (vanishedAfter == null || vanishedAfter.isNegative()) {
            throw new IllegalArgumentException("hubble.drivers.spark.livy.vanished-after must be zero or positive");
        }
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "LivyProperties[url=" + url + ", jar=" + jar + ", className=" + className + ", queue=" + queue
                + ", proxyUser=" + proxyUser + ", username=" + username + ", password="
                + (password == null ? null : "***")
                + "]";
    }
}
