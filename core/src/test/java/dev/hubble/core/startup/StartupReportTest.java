package dev.hubble.core.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.core.security.JobTokenProperties;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.validation.annotation.Validated;

/**
 * What a start that fails on its settings reports: the setting to change, in one line, and
 * never the value of a secret, whatever the message that rejected it says.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupReportTest {

    private static final String SHORT_SECRET = "too-short-SECRET-7f3a";

    @Test
    void aTooShortTokenSecretIsNamedButNeverPrinted(CapturedOutput output) {
        assertThatThrownBy(() -> run(TokenApp.class, "--hubble.jobs.token-secret=" + SHORT_SECRET))
                .isNotNull();

        assertThat(output.getAll()).contains("hubble.jobs.token-secret").doesNotContain(SHORT_SECRET);
        assertThat(OneLineFailureReporter.lastFailure())
                .get()
                .asString()
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret", "at least 32 characters");
    }

    @Test
    void aMissingRequiredSecretIsNamed(CapturedOutput output) {
        assertThatThrownBy(() -> run(TokenApp.class)).isNotNull();

        assertThat(OneLineFailureReporter.lastFailure())
                .get()
                .asString()
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret");
    }

    @Test
    void aValidationMessageThatQuotesTheSecretDoesNotPrintIt(CapturedOutput output) {
        assertThatThrownBy(() -> run(QuotingApp.class, "--test.quoting.api-key=" + SHORT_SECRET))
                .isNotNull();

        assertThat(output.getAll()).contains("test.quoting.api-key").doesNotContain(SHORT_SECRET);
        assertThat(OneLineFailureReporter.lastFailure())
                .get()
                .asString()
                .contains("test.quoting.api-key", "is not a key: " + Secrets.HIDDEN);
    }

    @Test
    void anOrdinaryValueThatCannotBeConvertedIsNamed(CapturedOutput output) {
        assertThatThrownBy(() -> run(
                        QuotingApp.class, "--test.quoting.api-key=" + "k".repeat(40), "--test.quoting.retries=many"))
                .isNotNull();

        assertThat(OneLineFailureReporter.lastFailure())
                .get()
                .asString()
                .contains("test.quoting.retries", "cannot be read as int");
    }

    private static void run(Class<?> app, String... args) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

    @SpringBootConfiguration
    @EnableConfigurationProperties(JobTokenProperties.class)
    static class TokenApp {}

    /** Settings whose validation message quotes the value it rejects. */
    @Validated
    @ConfigurationProperties("test.quoting")
    record QuotingProperties(
            @Size(min = 32, message = "is not a key: ${validatedValue}")
            String apiKey,

            int retries) {}

    @SpringBootConfiguration
    @EnableConfigurationProperties(QuotingProperties.class)
    static class QuotingApp {}
}
