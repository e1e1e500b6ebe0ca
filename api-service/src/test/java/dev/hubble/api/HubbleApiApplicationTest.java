package dev.hubble.api;

import static org.hamcrest.Matchers.hasKey;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The whole application wires up from its auto-configuration alone. Temporal and Redis are
 * not running: both clients connect lazily, and nothing here reaches them.
 */
@SpringBootTest(
        properties = {
            "hubble.results.local.dir=${java.io.tmpdir}/hubble-api-test-results",
            "hubble.results.local.signing-key=context-test-signing-key-of-32-characters",
            "hubble.jobs.token-secret=context-test-token-secret-of-32-characters",
            "hubble.drivers.duckdb.enabled=true"
        })
@AutoConfigureMockMvc
class HubbleApiApplicationTest {

    @Autowired
    MockMvc mvc;

    @Test
    void openApiDocumentDescribesEveryEndpoint() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.info.title").value("Hubble API"))
                .andExpect(jsonPath("$.paths", hasKey("/v1/jobs")))
                .andExpect(jsonPath("$.paths", hasKey("/v1/jobs/{jobId}")))
                .andExpect(jsonPath("$.paths", hasKey("/v1/jobs/{jobId}/errors")))
                .andExpect(jsonPath("$.paths", hasKey("/v1/jobs/{jobId}/results/{name}")));
    }

    @Test
    void invalidSubmissionIsRejectedBeforeTemporalOrRedisAreAsked() throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/v1/jobs")
                        .contentType("application/json")
                        .content("{\"query\": \"q\", \"driver\": \"spark\", \"source\": \"s\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("driver"))
                .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("duckdb")));
    }
}
