package dev.hubble.api.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import dev.hubble.api.history.HistoryProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's own beans. The Temporal client, job store, result links and clock come from
 * {@code HubbleCoreAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, PythonJobsProperties.class, HistoryProperties.class})
class ApiConfiguration {

    @Bean
    OpenAPI hubbleOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Hubble API")
                .version("v1")
                .description("Submit SQL and Python jobs, follow their state, cancel them and download their results. "
                        + "Errors are RFC 9457 problems with type URIs urn:hubble:problem:<name>."));
    }
}
