package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.core.results.s3.S3ResultsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack whose S3 refuses its jobs: each fails at once with S3's own reason, instead of
 * retrying for its whole submission budget. Each case runs a stack of its own whose duckdb
 * driver stores results in the shared stack's S3, with one setting wrong.
 */
class S3RefusalEndToEndTest {

    private final LocalStack shared = LocalStack.get();

    @Test
    void missingBucketFailsTheJobWithS3sReason(@TempDir Path dataDir) {
        S3ResultsProperties s3 = shared.context.getBean(S3ResultsProperties.class);
        try (LocalStack stack = refusingStack(dataDir, "no-such-bucket", s3.accessKeyId(), s3.secretAccessKey())) {
            JsonNode job = stack.awaitState(submit(stack), "FAILED", Duration.ofSeconds(90));

            assertThat(job.at("/error/message").asText())
                    .startsWith("S3 refused to list the job's result location s3://no-such-bucket/")
                    .contains("The specified bucket does not exist")
                    .contains("NoSuchBucket");
        }
    }

    @Test
    void refusedCredentialsFailTheJobWithS3sReason(@TempDir Path dataDir) {
        S3ResultsProperties s3 = shared.context.getBean(S3ResultsProperties.class);
        try (LocalStack stack = refusingStack(dataDir, s3.bucket(), "not-a-key-s3-knows", "wrong-secret")) {
            JsonNode job = stack.awaitState(submit(stack), "FAILED", Duration.ofSeconds(90));

            assertThat(job.at("/error/message").asText())
                    .startsWith("S3 refused to list the job's result location s3://" + s3.bucket() + "/")
                    .contains("InvalidAccessKeyId")
                    .doesNotContain("wrong-secret");
        }
    }

    private LocalStack refusingStack(Path dataDir, String bucket, String accessKey, String secretKey) {
        return LocalStack.start(
                dataDir,
                "--hubble.dev.results=local",
                "--hubble.drivers.duckdb.results=s3",
                "--hubble.results.s3.bucket=" + bucket,
                "--hubble.results.s3.endpoint=" + shared.s3(),
                "--hubble.results.s3.path-style-access=true",
                "--hubble.results.s3.region=us-east-1",
                "--hubble.results.s3.access-key-id=" + accessKey,
                "--hubble.results.s3.secret-access-key=" + secretKey);
    }

    private static String submit(LocalStack stack) {
        return stack.submit(Map.of("query", "select 1 as one", "driver", "duckdb", "source", "e2e-s3-refused"));
    }
}
