package dev.hubble.api.config;

import dev.hubble.api.history.HistoryProperties;
import dev.hubble.core.job.JobCatalog;
import dev.hubble.core.job.PythonJobNames;
import dev.hubble.core.job.ReadOnlySql;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's own beans. The Temporal client, job store, result links and clock come from
 * {@code HubbleCoreAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    ApiProperties.class,
    PythonJobsProperties.class,
    BatchJobsProperties.class,
    HistoryProperties.class
})
class ApiConfiguration {

    /** The driver whose jobs are the Python files of a local directory. */
    static final String LOCAL_PYTHON = "local-python";
    /** The driver whose jobs are the configured AWS Batch job definitions. */
    static final String PYTHON = "python";
    /** The driver whose jobs are read-only Trino SQL. */
    static final String TRINO = "trino";

    /** {@code local-python}'s jobs: the {@code <name>.py} files of its jobs directory. */
    @Bean
    @ConditionalOnProperty("hubble.drivers.local-python.jobs-dir")
    JobCatalog localPythonJobCatalog(PythonJobsProperties properties) {
        return PythonJobNames.inDirectory(LOCAL_PYTHON, properties.jobsDir());
    }

    /** {@code python}'s jobs: the names under {@code hubble.drivers.python.jobs}. */
    @Bean
    JobCatalog pythonJobCatalog(BatchJobsProperties properties) {
        return PythonJobNames.named(PYTHON, properties.jobs().keySet());
    }

    /** {@code trino}'s jobs: read-only statements only; a statement that changes data is a 400. */
    @Bean
    @ConditionalOnProperty(name = "hubble.drivers.trino.enabled", havingValue = "true")
    JobCatalog trinoStatements() {
        return ReadOnlySql.catalog(TRINO);
    }

    @Bean
    OpenAPI hubbleOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Hubble API")
                        .version("v1")
                        .description(
                                "Submit SQL and Python jobs, follow their state, cancel them and download their results. "
                                        + "Errors are RFC 9457 problems with type URIs urn:hubble:problem:<name>."));
    }
}
