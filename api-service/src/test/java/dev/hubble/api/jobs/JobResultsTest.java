package dev.hubble.api.jobs;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/jobs/{id}/results}: every result file, a page at a time, with fresh links. */
class JobResultsTest extends JobsWebTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesThroughEveryFileWithFreshLinks() throws Exception {
        String jobId = "2b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11";
        Path dir = Files.createDirectories(Links.RESULTS.resolve(jobId));
        for (int i = 0; i < 5; i++) {
            Files.writeString(dir.resolve("part-" + i + ".csv"), "x");
        }
        Files.writeString(dir.resolve("_stdout.log"), "not a result");
        URI location = Links.RESULTS.toUri().resolve(jobId + "/");
        JobResult result = new JobResult(OutputFormat.CSV, location, List.of(new ResultFile("part-0.csv", 1)), 5, 5);
        succeeded(jobId, result);

        List<String> names = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        while (cursor != null) {
            String body = mvc.perform(get("/v1/jobs/{id}/results", jobId)
                            .param("limit", "2")
                            .param("cursor", cursor))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.fileCount").value(5))
                    .andExpect(jsonPath("$.location").value(location.toString()))
                    .andExpect(jsonPath("$.files[0].url")
                            .value(startsWith("http://localhost/v1/jobs/" + jobId + "/results/part-")))
                    .andExpect(jsonPath("$.files[0].url").value(containsString("&signature=")))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            JsonNode page = json.readTree(body);
            page.get("files").forEach(f -> names.add(f.get("name").asText()));
            cursor = page.has("next") ? page.get("next").asText() : null;
            pages++;
        }

        org.assertj.core.api.Assertions.assertThat(names)
                .containsExactly("part-0.csv", "part-1.csv", "part-2.csv", "part-3.csv", "part-4.csv");
        org.assertj.core.api.Assertions.assertThat(pages).isEqualTo(3);
    }

    @Test
    void jobWithoutAResultHasNoFilesToList() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));

        mvc.perform(get("/v1/jobs/{id}/results", JOB_ID))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:result-not-found"))
                .andExpect(jsonPath("$.detail").value(containsString("RUNNING")));
    }

    @Test
    void cursorOrLimitItDidNotHandOutIsABadRequest() throws Exception {
        succeeded(JOB_ID, new JobResult(OutputFormat.CSV, List.of(new ResultFile("result.csv", 1))));

        mvc.perform(get("/v1/jobs/{id}/results", JOB_ID).param("cursor", "%%%"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("cursor"));
        mvc.perform(get("/v1/jobs/{id}/results", JOB_ID).param("limit", "1001"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
    }

    private void succeeded(String jobId, JobResult result) {
        JobRecord record = record(jobId, JobState.RUNNING).moveTo(JobState.SUCCEEDED, ApiTestBeans.NOW, null, result);
        when(store.find(jobId)).thenReturn(Optional.of(record));
    }
}
