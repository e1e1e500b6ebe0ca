package dev.hubble.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final JobTokens tokens = new JobTokens(new JobTokenProperties(SECRET));

    @Test
    void tokenIsTheBase64UrlHmacOfTheJobIdWithoutPadding() {
        // Computed independently with Python's hmac, hashlib and base64 modules.
        assertThat(tokens.issue("job-1")).isEqualTo("GEKK0nL0lqaVMhequCBE0ue24OMcDi4x-hwjugzmtig");
    }

    @Test
    void sameJobGetsTheSameTokenFromEveryInstanceSharingTheSecret() {
        JobTokens other = new JobTokens(new JobTokenProperties(SECRET));

        assertThat(other.issue("job-1")).isEqualTo(tokens.issue("job-1"));
        assertThat(other.verify("job-1", tokens.issue("job-1"))).isTrue();
    }

    @Test
    void eachJobHasItsOwnToken() {
        assertThat(tokens.issue("job-1")).isNotEqualTo(tokens.issue("job-2"));
    }

    @Test
    void anotherSecretGivesOtherTokens() {
        JobTokens other = new JobTokens(new JobTokenProperties(SECRET.toUpperCase()));

        assertThat(other.issue("job-1")).isNotEqualTo(tokens.issue("job-1"));
        assertThat(other.verify("job-1", tokens.issue("job-1"))).isFalse();
    }

    @Test
    void verifyAcceptsTheJobsOwnToken() {
        assertThat(tokens.verify("job-1", tokens.issue("job-1"))).isTrue();
    }

    @Test
    void verifyRejectsAnotherJobsToken() {
        assertThat(tokens.verify("job-1", tokens.issue("job-2"))).isFalse();
    }

    @Test
    void verifyRejectsMissingAlteredAndTruncatedTokens() {
        String token = tokens.issue("job-1");
        char last = token.charAt(token.length() - 1);
        String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(tokens.verify("job-1", null)).isFalse();
        assertThat(tokens.verify("job-1", "")).isFalse();
        assertThat(tokens.verify("job-1", altered)).isFalse();
        assertThat(tokens.verify("job-1", token.substring(1))).isFalse();
        assertThat(tokens.verify("job-1", token + "=")).isFalse();
        assertThat(tokens.verify("job-1", "é" + token)).isFalse();
    }

    @Test
    void neitherTheTokensNorTheirPropertiesPrintTheSecret() {
        assertThat(tokens.toString()).doesNotContain(SECRET);
        assertThat(new JobTokenProperties(SECRET).toString()).doesNotContain(SECRET);
    }
}
