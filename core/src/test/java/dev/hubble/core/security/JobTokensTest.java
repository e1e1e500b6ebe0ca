package dev.hubble.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JobTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofHours(6);

    private final JobTokens tokens = tokensAt(NOW);

    @Test
    void tokenNamesTheJobAndItsExpiryAndIsSignedWithHmacSha256() {
        // The signature computed independently with Python's hmac, hashlib and base64 modules:
        // hmac.new(secret, b"hubble-job-token\njob-1\n1796230800", "sha256").
        assertThat(tokens.issue("job-1", TIMEOUT))
                .isEqualTo("am9iLTE.1796230800.wPDGvE-YAWdKQ-DNFJg6NsiTfRGBgnm5FBaluOn-R7o");
    }

    @Test
    void tokenExpiresTheMarginAfterTheJobsTimeout() {
        String token = tokens.issue("job-1", TIMEOUT);
        Instant expiry = NOW.plus(TIMEOUT).plusSeconds(3600);

        assertThat(tokensAt(expiry.minusSeconds(1)).check("job-1", token)).isEqualTo(JobTokens.Verdict.VALID);
        assertThat(tokensAt(expiry).check("job-1", token)).isEqualTo(JobTokens.Verdict.EXPIRED);
        assertThat(tokensAt(expiry).verify("job-1", token)).isFalse();
    }

    @Test
    void everyInstanceSharingTheSecretAcceptsTheToken() {
        assertThat(tokensAt(NOW.plusSeconds(60)).verify("job-1", tokens.issue("job-1", TIMEOUT)))
                .isTrue();
    }

    @Test
    void anotherSecretRejectsTheToken() {
        JobTokens other = new JobTokens(new JobTokenProperties(SECRET.toUpperCase()), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(other.check("job-1", tokens.issue("job-1", TIMEOUT))).isEqualTo(JobTokens.Verdict.INVALID);
    }

    @Test
    void anotherJobsTokenIsToldApart() {
        assertThat(tokens.check("job-1", tokens.issue("job-2", TIMEOUT))).isEqualTo(JobTokens.Verdict.OTHER_JOB);
    }

    @Test
    void aTokenRenamedToAnotherJobOrGivenALongerLifeIsInvalid() {
        String[] parts = tokens.issue("job-2", TIMEOUT).split("\\.");
        String renamed = Base64.getUrlEncoder().withoutPadding().encodeToString("job-1".getBytes()) + "." + parts[1]
                + "." + parts[2];
        String prolonged = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2];

        assertThat(tokens.check("job-1", renamed)).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-2", prolonged)).isEqualTo(JobTokens.Verdict.INVALID);
    }

    @Test
    void missingAlteredAndTruncatedTokensAreRefused() {
        String token = tokens.issue("job-1", TIMEOUT);
        char last = token.charAt(token.length() - 1);
        String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(tokens.check("job-1", null)).isEqualTo(JobTokens.Verdict.MISSING);
        assertThat(tokens.check("job-1", "")).isEqualTo(JobTokens.Verdict.MISSING);
        assertThat(tokens.check("job-1", altered)).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-1", token.substring(1))).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-1", token + "=")).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-1", "é" + token)).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-1", "a.b.c.d")).isEqualTo(JobTokens.Verdict.INVALID);
        assertThat(tokens.check("job-1", "am9iLTE.+1796230800." + token.split("\\.")[2]))
                .isEqualTo(JobTokens.Verdict.INVALID);
    }

    @Test
    void neitherTheTokensNorTheirPropertiesPrintTheSecret() {
        assertThat(tokens.toString()).doesNotContain(SECRET);
        assertThat(new JobTokenProperties(SECRET).toString()).doesNotContain(SECRET);
    }

    private static JobTokens tokensAt(Instant now) {
        return new JobTokens(new JobTokenProperties(SECRET), Clock.fixed(now, ZoneOffset.UTC));
    }
}
