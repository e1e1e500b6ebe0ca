package dev.hubble.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.lang.Nullable;

/**
 * Issues and checks per-job tokens. A job's token is
 * {@code base64url(HMAC-SHA256(secret, "hubble-job-token\n" + jobId))} without padding: derived,
 * never stored, so the API can check a token any worker issued as long as both share
 * {@code hubble.jobs.token-secret}, and a token is worthless for any other job.
 *
 * <p>A token is a credential: it must never be logged, stored in a job's record or workflow
 * history, or shown in a status response or event. {@link #toString()} does not reveal the
 * secret. Thread-safe.
 */
public final class JobTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PURPOSE = "hubble-job-token\n";

    private final SecretKeySpec key;

    public JobTokens(JobTokenProperties properties) {
        this.key = new SecretKeySpec(properties.tokenSecret().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The token of job {@code jobId}; the same every time it is asked for. */
    public String issue(String jobId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal((PURPOSE + jobId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Whether {@code token} is the token of job {@code jobId}. Compares in constant time, so the
     * time taken reveals nothing of the expected token; a missing token is never valid.
     */
    public boolean verify(String jobId, @Nullable String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] expected = issue(jobId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "JobTokens[HmacSHA256]";
    }
}
