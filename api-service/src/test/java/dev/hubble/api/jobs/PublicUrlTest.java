package dev.hubble.api.jobs;

import static org.hamcrest.Matchers.startsWith;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "hubble.api.public-url=https://hubble.example.com/api")
class PublicUrlTest extends JobsWebTest {

    @Test
    void resultLinksUseTheConfiguredPublicUrlInsteadOfTheRequests() throws Exception {
        JobResult result = new JobResult(OutputFormat.PARQUET, List.of(new ResultFile("part-0.parquet", 10)));
        when(store.find(JOB_ID))
                .thenReturn(Optional.of(
                        record(JOB_ID, JobState.RUNNING).moveTo(JobState.SUCCEEDED, ApiTestBeans.NOW, null, result)));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID).header("Host", "internal-pod:8080"))
                .andExpect(jsonPath("$.result.files[0].url")
                        .value(startsWith("https://hubble.example.com/api/v1/jobs/" + JOB_ID
                                + "/results/part-0.parquet?expires=")));
    }
}
