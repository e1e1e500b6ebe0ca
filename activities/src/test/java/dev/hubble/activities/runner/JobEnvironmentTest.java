package dev.hubble.activities.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {

    private static final Map<String, String> WORKER = Map.ofEntries(
            Map.entry("PATH", "/usr/bin"),
            Map.entry("HOME", "/home/hubble"),
            Map.entry("LANG", "C.UTF-8"),
            Map.entry("TZ", "UTC"),
            Map.entry("PYTHONPATH", "/lib"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "aws-secret"),
            Map.entry("SPRING_DATA_REDIS_PASSWORD", "redis-secret"),
            Map.entry("HUBBLE_JOBS_TOKEN_SECRET", "token-secret"),
            Map.entry("LC_ALL", "C"),
            Map.entry("LC_TIME", "C"),
            Map.entry("JAVA_HOME", "/jdk"));

    @Test
    void aJobInheritsOnlyTheAllowListOfTheWorkersEnvironment() {
        assertThat(JobEnvironment.inherited(WORKER, List.of()))
                .containsOnlyKeys("PATH", "HOME", "LANG", "TZ", "PYTHONPATH");
    }

    @Test
    void theOperatorAddsNamesAndPrefixesButNeverHubbleVariables() {
        assertThat(JobEnvironment.inherited(
                        WORKER, List.of("JAVA_HOME", "LC_*", "HUBBLE_JOBS_TOKEN_SECRET", "HUBBLE_*")))
                .containsOnlyKeys("PATH", "HOME", "LANG", "TZ", "PYTHONPATH", "JAVA_HOME", "LC_ALL", "LC_TIME");
    }

    @Test
    void theContractNamesTheJobItsOutputTheApiItsTokenAndItsParameters() {
        assertThat(JobEnvironment.contract(
                        "job-1", URI.create("file:///tmp/job-1/"), "http://api", "t0ken", Map.of("day", "2024-01-31")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "HUBBLE_JOB_ID",
                        "job-1",
                        "HUBBLE_OUTPUT",
                        "file:///tmp/job-1/",
                        "HUBBLE_API_URL",
                        "http://api",
                        "HUBBLE_JOB_TOKEN",
                        "t0ken",
                        "HUBBLE_PARAM_day",
                        "2024-01-31"));
    }
}
