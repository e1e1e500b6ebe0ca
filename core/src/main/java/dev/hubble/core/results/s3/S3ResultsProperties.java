package dev.hubble.core.results.s3;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The S3 result store ({@code hubble.results.s3.*}): result files under
 * {@code s3://<bucket>/<prefix>jobs/<jobId>/}, downloaded through presigned GETs. Bound only
 * when some driver uses the S3 store. Credentials come from the AWS SDK's default chain
 * (environment, profile, instance or task role) unless both keys are set here.
 *
 * @param bucket the bucket; required
 * @param prefix a key prefix for every job's folder, e.g. {@code hubble/}; empty for none
 * @param region the bucket's region; the SDK's default region chain when unset ({@code us-east-1}
 *     when an endpoint is set)
 * @param endpoint an S3-compatible endpoint (MinIO, S3Proxy); AWS when unset
 * @param pathStyleAccess address buckets as {@code endpoint/bucket} rather than
 *     {@code bucket.endpoint}; most S3-compatible stores need it
 * @param linkTtl how long a download link stays valid; at most 7 days (SigV4's limit)
 * @param partSize files larger than this are uploaded in parts of this size
 * @param accessKeyId a static access key, for S3-compatible stores; the default chain when unset
 * @param secretAccessKey its secret
 * @param publicEndpoint the endpoint links are signed for, when clients reach the store under
 *     another address than Hubble does (a container network, a proxy); {@code endpoint} when unset
 */
@Validated
@ConfigurationProperties("hubble.results.s3")
public record S3ResultsProperties(
        @Nullable String bucket,
        @DefaultValue("") String prefix,
        @Nullable String region,
        @Nullable URI endpoint,
        @DefaultValue("false") boolean pathStyleAccess,
        @DefaultValue("1h") Duration linkTtl,
        @DefaultValue("16MB") DataSize partSize,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey,
        @Nullable URI publicEndpoint) {

    /** The longest a SigV4 presigned URL may live. */
    public static final Duration MAX_LINK_TTL = Duration.ofDays(7);

    public S3ResultsProperties {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("set hubble.results.s3.bucket to the bucket for result files"
                    + " (some driver's result store is s3)");
        }
        if (linkTtl.isNegative() || linkTtl.isZero() || linkTtl.compareTo(MAX_LINK_TTL) > 0) {
            throw new IllegalArgumentException("hubble.results.s3.link-ttl must be positive and at most 7 days"
                    + " (the limit of a SigV4 presigned URL), got " + linkTtl);
        }
        if (partSize.toBytes() < DataSize.ofMegabytes(5).toBytes()) {
            throw new IllegalArgumentException(
                    "hubble.results.s3.part-size must be at least 5MB (S3's smallest part), got " + partSize);
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException(
                    "set both hubble.results.s3.access-key-id and hubble.results.s3.secret-access-key, or neither");
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+", "");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    @Override
    public String toString() {
        return "S3ResultsProperties[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint="
                + endpoint + ", pathStyleAccess=" + pathStyleAccess + ", linkTtl=" + linkTtl + ", partSize=" + partSize
                + ", staticCredentials=" + (accessKeyId != null) + ", publicEndpoint=" + publicEndpoint + "]";
    }
}
