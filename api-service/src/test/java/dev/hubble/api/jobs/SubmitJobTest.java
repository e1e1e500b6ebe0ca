package dev.hubble.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.JobWorkflowInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

class SubmitJobTest extends JobsWebTest {

    private static final String VALID = """
            {"query": "select 42", "driver": "duckdb", "source": "reports"}""";

    @Test
    void validJobIsAcceptedWithLocationAndQueuedDocument() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);

        String body = submit(VALID, null)
                .andExpect(status().isAccepted())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.driver").value("duckdb"))
                .andExpect(jsonPath("$.format").value("csv"))
                .andExpect(jsonPath("$.source").value("reports"))
                .andExpect(jsonPath("$.priority").value(5))
                .andExpect(jsonPath("$.timeout").value("PT6H"))
                .andExpect(jsonPath("$.createdAt").value(ApiTestBeans.NOW.toString()))
                .andExpect(jsonPath("$.sourceId").doesNotExist())
                .andExpect(jsonPath("$.error").doesNotExist())
                .andExpect(jsonPath("$.result").doesNotExist())
                .andReturn()
                .getResponse()
                .getContentAsString();

        String jobId = JsonPath.read(body, "$.jobId");
        assertThat(UUID.fromString(jobId).toString()).isEqualTo(jobId);
        assertThat(body)
                .contains("\"historyUrl\":\"" + ApiTestBeans.UI_URL + "/namespaces/default/workflows/" + jobId + "\"");
    }

    @Test
    void locationPointsAtTheNewJob() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);

        submit(VALID, "key-1")
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/jobs/" + JobIds.idempotent("reports", "key-1")));
    }

    @Test
    void withoutAnIdempotencyKeyEverySubmissionIsANewJob() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);

        String first =
                JsonPath.read(submit(VALID, null).andReturn().getResponse().getContentAsString(), "$.jobId");
        String second =
                JsonPath.read(submit(VALID, null).andReturn().getResponse().getContentAsString(), "$.jobId");

        assertThat(first).isNotEqualTo(second);
        verify(client, times(2)).newWorkflowStub(eq(JobWorkflow.class), any(WorkflowOptions.class));
    }

    @Test
    void workflowStartsOnTheDriversQueueWithTheJobIdThenTheQueuedRecordIsSaved() throws Exception {
        JobWorkflow workflow = workflowToStart();
        when(store.save(any())).thenReturn(true);

        submit("""
                {"query": "select 1", "driver": "spark", "source": "reports", "format": "PARQUET",
                 "priority": 9, "timeout": "PT30M", "parameters": {"day": "2030-01-01"},
                 "sourceId": "report-7", "sourceKind": "report", "sourceVersion": "3", "parentJobId": "p-1"}""", "key-1")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.format").value("parquet"))
                .andExpect(jsonPath("$.parameters.day").value("2030-01-01"))
                .andExpect(jsonPath("$.parentJobId").value("p-1"));

        String jobId = JobIds.idempotent("reports", "key-1");
        ArgumentCaptor<WorkflowOptions> options = ArgumentCaptor.forClass(WorkflowOptions.class);
        verify(client).newWorkflowStub(eq(JobWorkflow.class), options.capture());
        assertThat(options.getValue().getWorkflowId()).isEqualTo(jobId);
        assertThat(options.getValue().getTaskQueue()).isEqualTo("hubble-jobs-spark");
        assertThat(options.getValue().getWorkflowIdConflictPolicy())
                .isEqualTo(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
        assertThat(options.getValue().getWorkflowIdReusePolicy())
                .isEqualTo(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);

        ArgumentCaptor<JobWorkflowInput> input = ArgumentCaptor.forClass(JobWorkflowInput.class);
        ArgumentCaptor<JobRecord> saved = ArgumentCaptor.forClass(JobRecord.class);
        InOrder order = inOrder(workflow, store);
        order.verify(workflow).run(input.capture());
        order.verify(store).save(saved.capture());
        assertThat(input.getValue().record()).isEqualTo(saved.getValue());
        assertThat(saved.getValue().state()).isEqualTo(JobState.QUEUED);
        assertThat(saved.getValue().sequence()).isZero();
        assertThat(saved.getValue().spec().timeout()).hasMinutes(30);
        assertThat(saved.getValue().spec().priority()).isEqualTo(9);
    }

    @Test
    void jobIsAcceptedWhenTheStoreIsDownAfterTheWorkflowStarted() throws Exception {
        JobWorkflow workflow = workflowToStart();
        when(store.save(any())).thenThrow(new RedisConnectionFailureException("connection refused"));

        submit(VALID, null)
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("QUEUED"));
        verify(workflow).run(any());
    }

    @Test
    void sameIdempotencyKeyGivesTheSameJobAndStartsNothingNewWhenTheStoreHasIt() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);
        String jobId = JobIds.idempotent("reports", "retry-me");

        submit(VALID, "retry-me")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.jobId").value(jobId));
        when(store.find(jobId)).thenReturn(Optional.of(record(jobId, JobState.RUNNING)));
        submit(VALID, "retry-me")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.jobId").value(jobId))
                .andExpect(jsonPath("$.state").value("RUNNING"));

        verify(client, times(1)).newWorkflowStub(eq(JobWorkflow.class), any(WorkflowOptions.class));
        verify(store, times(1)).save(any());
    }

    @Test
    void sameIdempotencyKeyFromAnotherSourceIsAnotherJob() {
        assertThat(JobIds.idempotent("reports", "k")).isNotEqualTo(JobIds.idempotent("billing", "k"));
        assertThat(JobIds.idempotent("reports", "k")).isEqualTo(JobIds.idempotent("reports", "k"));
    }

    @Test
    void resubmittingAFinishedJobAnswersWithItsRecordFromTheWorkflow() throws Exception {
        String jobId = JobIds.idempotent("reports", "done");
        JobWorkflow toStart = workflowToStart();
        when(toStart.run(any())).thenThrow(new WorkflowExecutionAlreadyStarted(execution(jobId), "HubbleJob", null));
        when(runningWorkflow(jobId).status()).thenReturn(record(jobId, JobState.SUCCEEDED));

        submit(VALID, "done")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.jobId").value(jobId))
                .andExpect(jsonPath("$.state").value("SUCCEEDED"));
        verify(store, never()).save(any());
    }

    @Test
    void whenTheWorkflowRecordedTheJobFirstItsNewerRecordIsTheAnswer() throws Exception {
        String jobId = JobIds.idempotent("reports", "race");
        workflowToStart();
        when(store.save(any())).thenReturn(false);
        when(store.find(jobId)).thenReturn(Optional.empty(), Optional.of(record(jobId, JobState.SUBMITTED)));

        submit(VALID, "race")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("SUBMITTED"));
    }

    @Test
    void unreachableTemporalIs503WithoutInternals() throws Exception {
        JobWorkflow workflow = workflowToStart();
        when(workflow.run(any()))
                .thenThrow(new WorkflowServiceException(
                        execution("x"),
                        "HubbleJob",
                        new StatusRuntimeException(
                                Status.UNAVAILABLE.withDescription("io exception at 10.0.0.7:7233"))));

        submit(VALID, null)
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:temporal-unavailable"))
                .andExpect(content().string(not(containsString("10.0.0.7"))))
                .andExpect(content().string(not(containsString("Exception"))));
        verify(store, never()).save(any());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"driver": "duckdb", "source": "s"}                                   | query
            {"query": "  ", "driver": "duckdb", "source": "s"}                    | query
            {"query": "q", "driver": "duckdb"}                                    | source
            {"query": "q", "driver": "duckdb", "source": ""}                      | source
            {"query": "q", "source": "s"}                                         | driver
            {"query": "q", "driver": "oracle", "source": "s"}                     | driver
            {"query": "q", "driver": "python", "source": "s"}                     | driver
            {"query": "q", "driver": "duckdb", "source": "s", "format": "xlsx"}   | format
            {"query": "q", "driver": "duckdb", "source": "s", "timeout": "soon"}  | timeout
            {"query": "q", "driver": "duckdb", "source": "s", "timeout": "PT0S"}  | timeout
            {"query": "q", "driver": "duckdb", "source": "s", "timeout": "-PT1H"} | timeout
            {"query": "q", "driver": "duckdb", "source": "s", "timeout": "P8D"}   | timeout
            {"query": "q", "driver": "duckdb", "source": "s", "priority": 10}     | priority
            {"query": "q", "driver": "duckdb", "source": "s", "priority": -1}     | priority
            {"query": "q", "driver": "duckdb", "source": "s", "parameters": {"1day": "x"}} | parameters
            {"query": "q", "driver": "duckdb", "source": "s", "parameters": {"a-b": "x"}}  | parameters
            {"query": "q", "driver": "duckdb", "source": "s", "parameters": {"a": null}}   | parameters.a
            {"query": "q", "driver": "duckdb", "source": "s", "priority": "abc"}  | priority
            {"query": "q", "driver": "duckdb", "source": "s", "priority": {}}     | priority
            {"query": ["q"], "driver": "duckdb", "source": "s"}                   | query
            {"query": "q", "driver": "duckdb", "source": "s", "parameters": "x"}  | parameters
            {"query": "q", "driver": "duckdb", "source": "s", "parameters": {"a": {"b": 1}}} | parameters.a
            {"query": "q", "driver": "duckdb", "source": "s"                      | body
            not json at all                                                       | body
            ["q"]                                                                 | body
            """)
    void invalidFieldIsA400ProblemNamingIt(String body, String field) throws Exception {
        expectInvalid(submit(body, null), field);
        verifyNoInteractions(client);
    }

    @Test
    void missingBodyIsA400Problem() throws Exception {
        expectInvalid(mvc.perform(post("/v1/jobs").contentType(MediaType.APPLICATION_JSON)), "body");
    }

    @Test
    void queryLongerThanTheLimitInUtf8BytesIsRejected() throws Exception {
        // 32,769 two-byte characters: within 64 KB as characters, over it as UTF-8 bytes.
        String query = "é".repeat(32_769);
        assertThat(query.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(64 * 1024);

        expectInvalid(
                        submit("{\"query\": \"" + query + "\", \"driver\": \"duckdb\", \"source\": \"s\"}", null),
                        "query")
                .andExpect(jsonPath("$.errors[0].message").value(containsString("65536 bytes")));
    }

    @Test
    void queryAtTheLimitIsAccepted() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);
        String query = "x".repeat(64 * 1024);

        submit("{\"query\": \"" + query + "\", \"driver\": \"duckdb\", \"source\": \"s\"}", null)
                .andExpect(status().isAccepted());
    }

    @Test
    void unknownDriverProblemListsTheEnabledDrivers() throws Exception {
        expectInvalid(submit("{\"query\": \"q\", \"driver\": \"oracle\", \"source\": \"s\"}", null), "driver")
                .andExpect(jsonPath("$.errors[0].message")
                        .value("unknown driver 'oracle'; enabled drivers: duckdb, local-python, spark"));
    }

    @Test
    void unknownPythonJobProblemListsTheAvailableJobs() throws Exception {
        expectInvalid(
                        submit("{\"query\": \"goodbye\", \"driver\": \"local-python\", \"source\": \"s\"}", null),
                        "query")
                .andExpect(jsonPath("$.errors[0].message").value(containsString("available jobs: hello, report")));
    }

    @Test
    void pythonJobNameThatIsNotAnIdentifierIsRefused() throws Exception {
        expectInvalid(
                        submit(
                                "{\"query\": \"../../etc/passwd\", \"driver\": \"local-python\", \"source\": \"s\"}",
                                null),
                        "query")
                .andExpect(jsonPath("$.errors[0].message").value(containsString("hello, report")));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() throws Exception {
        submit("{\"priority\": 12, \"timeout\": \"later\"}", null)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field")
                        .value(org.hamcrest.Matchers.containsInAnyOrder(
                                "query", "driver", "source", "priority", "timeout")));
    }

    @Test
    void blankIdempotencyKeyIsRejected() throws Exception {
        expectInvalid(submit(VALID, " "), "Idempotency-Key");
        verifyNoInteractions(client);
    }

    private ResultActions submit(String body, String idempotencyKey) throws Exception {
        var request = post("/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return mvc.perform(request);
    }

    private static ResultActions expectInvalid(ResultActions result, String field) throws Exception {
        return result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:invalid-request"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].message").isNotEmpty());
    }
}
