package dev.hubble.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.lang.Nullable;

/**
 * Issues and checks per-job tokens. A job's token names the job and when it expires, and is
 * signed: {@code <base64url(jobId)>.<expires, epoch seconds>.<base64url(HMAC-SHA256(secret,
 * "hubble-job-token\n" + jobId + "\n" + expires))>}, base64url without padding. Nothing is
 * stored: the API checks a token any worker issued as long as both share
 * {@code hubble.jobs.token-secret}; a token is worthless for any other job, and after it expires
 * (the job's timeout plus {@code hubble.jobs.token-margin} after it was issued).
 *
 * <p>A token is a credential: it must never be logged, stored in a job's record or workflow
 * history, or shown in a status response or event. {@link #toString()} does not reveal the
 * secret. Thread-safe.
 */
public final class JobTokens {

    /** What {@link #check} finds a token to be. */
    public enum Verdict {
        /** The token of this job, not expired. */
        VALID,
        /** No token at all. */
        MISSING,
        /** Not a token signed with this secret: malformed, altered or signed with another secret. */
        INVALID,
        /** A genuine token, but of another job. */
        OTHER_JOB,
        /** The token of this job, past its expiry. */
        EXPIRED
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PURPOSE = "hubble-job-token\n";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Duration margin;
    private final Clock clock;

    public JobTokens(JobTokenProperties properties, Clock clock) {
        this.key = new SecretKeySpec(properties.tokenSecret().getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.margin = properties.tokenMargin();
        this.clock = clock;
    }

    /** Tokens on the system clock. */
    public JobTokens(JobTokenProperties properties) {
        this(properties, Clock.systemUTC());
    }

    /**
     * A token for job {@code jobId}, valid until {@code timeout} plus the margin from now: pass
     * the job's timeout, so the token lives as long as the job may.
     */
    public String issue(String jobId, Duration timeout) {
        long expires = clock.instant().plus(timeout).plus(margin).getEpochSecond();
        return ENCODER.encodeToString(jobId.getBytes(StandardCharsets.UTF_8)) + "." + expires + "."
                + ENCODER.encodeToString(signature(jobId, expires));
    }

    /** Whether {@code token} is a valid, unexpired token of job {@code jobId}. */
    public boolean verify(String jobId, @Nullable String token) {
        return check(jobId, token) == Verdict.VALID;
    }

    /** The job a genuine, unexpired token belongs to; empty for anything else. */
    public Optional<String> holder(@Nullable String token) {
        if (token == null || token.indexOf('.') <= 0) {
            return Optional.empty();
        }
        String jobId;
        try {
            jobId = new String(
                    Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return check(jobId, token) == Verdict.VALID ? Optional.of(jobId) : Optional.empty();
    }

    /**
     * What {@code token} is for job {@code jobId}. The signature is compared in constant time,
     * so the time taken reveals nothing of the expected one; only a genuine token is told apart
     * as another job's or expired.
     */
    public Verdict check(String jobId, @Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Verdict.MISSING;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Verdict.INVALID;
        }
        String tokenJobId;
        long expires;
        byte[] signature;
        try {
            tokenJobId = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            expires = Long.parseLong(parts[1]);
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        // Canonical forms only: one token per (job, expiry), however base64 or numbers may be spelled.
        if (!parts[0].equals(ENCODER.encodeToString(tokenJobId.getBytes(StandardCharsets.UTF_8)))
                || !parts[1].equals(Long.toString(expires))
                || !parts[2].equals(ENCODER.encodeToString(signature))) {
            return Verdict.INVALID;
        }
        if (!MessageDigest.isEqual(signature(tokenJobId, expires), signature)) {
            return Verdict.INVALID;
        }
        if (!tokenJobId.equals(jobId)) {
            return Verdict.OTHER_JOB;
        }
        return clock.instant().isBefore(Instant.ofEpochSecond(expires)) ? Verdict.VALID : Verdict.EXPIRED;
    }

    private byte[] signature(String jobId, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((PURPOSE + jobId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "JobTokens[HmacSHA256, margin " + margin + "]";
    }
}
