package dev.hubble.core.results.local;

import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.SignedLink;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links to files in the local result store, served by the API at
 * {@code /v1/jobs/{jobId}/results/{name}?expires=<epoch seconds>&signature=<HMAC-SHA256>}. The
 * signature covers the job id, the file name and the expiry, so a link cannot be pointed at
 * another file or kept alive longer.
 */
public final class LocalResultLinks {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final LocalResultsProperties properties;
    private final Clock clock;

    public LocalResultLinks(LocalResultsProperties properties, Clock clock) {
        this.key = new SecretKeySpec(properties.signingKey().getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.properties = properties;
        this.clock = clock;
    }

    /** A fresh link to {@code file} of job {@code jobId}, served by the API at {@code apiBaseUrl}. */
    public SignedLink sign(String jobId, ResultFile file, URI apiBaseUrl) {
        Instant expiresAt =
                clock.instant().plus(properties.linkTtl()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long expires = expiresAt.getEpochSecond();
        String base = apiBaseUrl.toString().replaceAll("/+$", "");
        URI url = URI.create(base + "/v1/jobs/" + encode(jobId) + "/results/" + encode(file.name()) + "?expires="
                + expires + "&signature=" + signature(jobId, file.name(), expires));
        return new SignedLink(url, expiresAt);
    }

    /**
     * Whether {@code signature} is this store's signature of the file and expiry, and the expiry
     * has not passed.
     */
    public boolean verify(String jobId, String fileName, long expires, String signature) {
        if (clock.instant().getEpochSecond() > expires) {
            return false;
        }
        byte[] expected = signature(jobId, fileName, expires).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String jobId, String fileName, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal((jobId + "\n" + fileName + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
