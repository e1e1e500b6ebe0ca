package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The local stack's probes and each engine's health, as a platform and an operator read them. */
class HealthEndToEndTest {

    private final LocalStack stack = LocalStack.get();

    @Test
    void probesAndEveryEngineOfTheStackAreUp() {
        for (String path : new String[] {
            "/actuator/health/liveness",
            "/actuator/health/readiness",
            "/actuator/health/engines/duckdb",
            "/actuator/health/engines/local-python"
        }) {
            HttpResponse<String> response = stack.get(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            assertThat(stack.read(response.body()).get("status").asText())
                    .as(path)
                    .isEqualTo("UP");
        }
        assertThat(stack.read(stack.get("/actuator/health").body())
                        .path("components")
                        .has("engines"))
                .as("the engines are a component of the health")
                .isTrue();
    }
}
