package dev.hubble.api;

import dev.hubble.api.auth.JobAccess;
import dev.hubble.api.auth.SecurityConfiguration;
import dev.hubble.api.config.ApiProperties;
import dev.hubble.core.config.DriverProperties;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.config.TemporalProperties;
import dev.hubble.core.job.JobCatalog;
import dev.hubble.core.job.PythonJobNames;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.view.PublicUrlProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What {@code HubbleCoreAutoConfiguration} provides in the application, for web slice tests: a
 * fixed clock, drivers {@code duckdb}, {@code spark} and {@code local-python} enabled and
 * {@code python} disabled, job tokens, a Python jobs directory and a Temporal Web UI URL; and
 * the API's security (authentication off unless a test sets {@code hubble.api.auth.jwt.*}).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, PublicUrlProperties.class})
@Import({SecurityConfiguration.class, JobAccess.class})
public class ApiTestBeans {

    public static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    public static final String SIGNING_KEY = "test-signing-key-of-at-least-32-characters";
    public static final String UI_URL = "http://temporal-ui:8233";
    public static final String TOKEN_SECRET = "test-token-secret-of-at-least-32-characters";

    @Bean
    JobTokens jobTokens() {
        return new JobTokens(new JobTokenProperties(TOKEN_SECRET));
    }

    /** {@code local-python}'s catalog: a jobs directory holding the Python jobs {@code hello} and {@code report}. */
    @Bean
    JobCatalog localPythonJobCatalog() throws IOException {
        Path dir = Files.createTempDirectory("python-jobs");
        Files.writeString(dir.resolve("hello.py"), "print('hello')\n");
        Files.writeString(dir.resolve("report.py"), "print('report')\n");
        dir.toFile().deleteOnExit();
        return PythonJobNames.inDirectory("local-python", dir);
    }

    @Bean
    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    DriversProperties driversProperties() {
        return new DriversProperties(Map.of(
                "duckdb", driver(true),
                "spark", driver(true),
                "python", driver(false),
                "local-python", driver(true)));
    }

    @Bean
    TemporalProperties temporalProperties() {
        return new TemporalProperties("localhost:7233", "default", UI_URL + "/");
    }

    private static DriverProperties driver(boolean enabled) {
        return new DriverProperties(enabled, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 500, 4);
    }
}
