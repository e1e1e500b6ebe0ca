package dev.hubble.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.temporal.RemoteDetails;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;

@ExtendWith(OutputCaptureExtension.class)
class JobStatusTest extends JobsWebTest {

    @Test
    void jobIsReadFromTheStoreWithoutAskingTemporal() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value(JOB_ID))
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.driver").value("duckdb"))
                .andExpect(jsonPath("$.format").value("csv"))
                .andExpect(jsonPath("$.source").value("reports"))
                .andExpect(jsonPath("$.timeout").value("PT6H"))
                .andExpect(jsonPath("$.updatedAt").value(ApiTestBeans.NOW.toString()))
                .andExpect(
                        jsonPath("$.historyUrl").value(ApiTestBeans.UI_URL + "/namespaces/default/workflows/" + JOB_ID))
                .andExpect(jsonPath("$.sourceId").doesNotExist())
                .andExpect(jsonPath("$.parentJobId").doesNotExist())
                .andExpect(jsonPath("$.error").doesNotExist())
                .andExpect(jsonPath("$.result").doesNotExist())
                .andExpect(jsonPath("$.remote").doesNotExist());
        verifyNoInteractions(client);
    }

    @Test
    void aFinishedJobReadAgainAtOnceIsServedFromMemoryAndARunningOneNever() throws Exception {
        String finishedJob = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        when(store.find(finishedJob)).thenReturn(Optional.of(record(finishedJob, JobState.FAILED)));
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));

        for (int i = 0; i < 3; i++) {
            mvc.perform(get("/v1/jobs/{id}", finishedJob))
                    .andExpect(jsonPath("$.state").value("FAILED"));
            mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                    .andExpect(jsonPath("$.state").value("RUNNING"));
        }

        verify(store, times(1)).find(finishedJob);
        verify(store, times(3)).find(JOB_ID);
    }

    @Test
    void runningJobShowsWhereItsEngineRunsIt() throws Exception {
        RemoteDetails remote = new RemoteDetails("12", "application_1_0012", "http://spark-ui/12", null);
        when(store.find(JOB_ID))
                .thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING).withRemote(remote)));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remote.engineId").value("12"))
                .andExpect(jsonPath("$.remote.appId").value("application_1_0012"))
                .andExpect(jsonPath("$.remote.uiUrl").value("http://spark-ui/12"))
                .andExpect(jsonPath("$.remote.logUrl").doesNotExist())
                .andExpect(jsonPath("$.remote.empty").doesNotExist());
    }

    @Test
    void queuedJobShowsItsPlaceInItsDriversQueueWithoutAskingTheGate() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.QUEUED)));
        when(gates.position("duckdb", JOB_ID)).thenReturn(java.util.OptionalInt.of(2));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.queuePosition").value(2));
        verifyNoInteractions(client);
    }

    @Test
    void queuedJobWithoutAGateYetSimplyHasNoPosition() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.QUEUED)));
        when(gates.position("duckdb", JOB_ID)).thenReturn(java.util.OptionalInt.empty());

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.queuePosition").doesNotExist());
    }

    @Test
    void parentListsTheJobsItSubmitted() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        when(store.children(JOB_ID)).thenReturn(List.of("child-1", "child-2"));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.children[0]").value("child-1"))
                .andExpect(jsonPath("$.children[1]").value("child-2"));
    }

    @Test
    void statusFallsBackToTheWorkflowQueryWhenTheStoreHasNoRecord() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.empty());
        when(runningWorkflow(JOB_ID).status()).thenReturn(record(JOB_ID, JobState.SUBMITTED));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("SUBMITTED"));
    }

    @Test
    void statusFallsBackToTheWorkflowQueryWhenTheStoreIsDown() throws Exception {
        when(store.find(JOB_ID)).thenThrow(new RedisConnectionFailureException("connection refused"));
        when(runningWorkflow(JOB_ID).status()).thenReturn(record(JOB_ID, JobState.RUNNING));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("RUNNING"));
    }

    @Test
    void anOutageOfTheStoreIsLoggedWhenItBeginsAndEndsNotAtEveryRead(CapturedOutput output) throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        mvc.perform(get("/v1/jobs/{id}", JOB_ID)).andExpect(status().isOk()); // the store is up to begin with
        reset(store);
        readRecordAndChildrenAsTheyAreStubbed();
        when(store.find(JOB_ID)).thenThrow(new RedisConnectionFailureException("connection refused"));
        when(runningWorkflow(JOB_ID).status()).thenReturn(record(JOB_ID, JobState.RUNNING));
        for (int i = 0; i < 3; i++) {
            mvc.perform(get("/v1/jobs/{id}", JOB_ID)).andExpect(status().isOk());
        }
        reset(store);
        readRecordAndChildrenAsTheyAreStubbed();
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        mvc.perform(get("/v1/jobs/{id}", JOB_ID)).andExpect(status().isOk());

        assertThat(output.getOut().split("Job store unreachable", -1)).hasSize(2);
        assertThat(output.getOut()).contains("Job store reachable again");
    }

    @Test
    void jobNeitherStoredNorRunningIs404() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.empty());
        when(runningWorkflow(JOB_ID).status()).thenThrow(new WorkflowNotFoundException(execution(JOB_ID), null, null));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-not-found"))
                .andExpect(jsonPath("$.detail").value(containsString(JOB_ID)));
    }

    @Test
    void queryFailureCausedByAMissingWorkflowIs404() throws Exception {
        when(store.find(JOB_ID)).thenThrow(new RedisConnectionFailureException("connection refused"));
        when(runningWorkflow(JOB_ID).status())
                .thenThrow(new WorkflowQueryException(
                        execution(JOB_ID), "HubbleJob", new StatusRuntimeException(Status.NOT_FOUND)));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-not-found"));
    }

    @Test
    void idThatCannotBeAJobIs404WithoutAskingAnyone() throws Exception {
        mvc.perform(get("/v1/jobs/{id}", "not-a-job"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-not-found"));
        verifyNoInteractions(client, store);
    }

    @Test
    void failedJobShowsItsError() throws Exception {
        JobRecord running = record(JOB_ID, JobState.RUNNING);
        JobRecord failed =
                running.moveTo(JobState.FAILED, ApiTestBeans.NOW, new JobError("division by zero", null), null);
        when(store.find(JOB_ID)).thenReturn(Optional.of(failed));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.error.message").value("division by zero"))
                .andExpect(jsonPath("$.error.detail").doesNotExist());
    }

    @Test
    void succeededJobHasResultLinksSignedAtReadTime() throws Exception {
        JobResult result = new JobResult(OutputFormat.CSV, List.of(new ResultFile("part-0.csv", 1234)));
        JobRecord succeeded =
                record(JOB_ID, JobState.RUNNING).moveTo(JobState.SUCCEEDED, ApiTestBeans.NOW, null, result);
        when(store.find(JOB_ID)).thenReturn(Optional.of(succeeded));

        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(jsonPath("$.result.format").value("csv"))
                .andExpect(jsonPath("$.result.files[0].name").value("part-0.csv"))
                .andExpect(jsonPath("$.result.files[0].sizeBytes").value(1234))
                .andExpect(jsonPath("$.result.files[0].expiresAt")
                        .value(ApiTestBeans.NOW.plusSeconds(3600).toString()))
                .andExpect(jsonPath("$.result.files[0].url")
                        .value(startsWith("http://localhost/v1/jobs/" + JOB_ID + "/results/part-0.csv?expires=")))
                .andExpect(jsonPath("$.result.files[0].url").value(containsString("&signature=")));
    }

    @Test
    void listingPassesTheFiltersToTheStoreAndKeepsItsOrder() throws Exception {
        String older = "1b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11";
        when(store.list(any())).thenReturn(List.of(record(JOB_ID, JobState.RUNNING), record(older, JobState.RUNNING)));

        mvc.perform(get("/v1/jobs")
                        .param("source", "reports")
                        .param("state", "running")
                        .param("driver", "duckdb")
                        .param("limit", "10"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobs[0].jobId").value(JOB_ID))
                .andExpect(jsonPath("$.jobs[1].jobId").value(older));

        ArgumentCaptor<JobQuery> query = ArgumentCaptor.forClass(JobQuery.class);
        verify(store).list(query.capture());
        assertThat(query.getValue()).isEqualTo(new JobQuery("reports", JobState.RUNNING, "duckdb", 10));
    }

    @Test
    void listingWithoutFiltersAsksForTheDefaultLimit() throws Exception {
        when(store.list(any())).thenReturn(List.of());

        mvc.perform(get("/v1/jobs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobs").isEmpty());

        verify(store).list(new JobQuery(null, null, null, 50));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"state, WAITING", "limit, 0", "limit, 501", "limit, many"})
    void listingWithABadFilterIs400NamingIt(String parameter, String value) throws Exception {
        mvc.perform(get("/v1/jobs").param(parameter, value))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:invalid-request"))
                .andExpect(jsonPath("$.errors[0].field").value(parameter));
        verifyNoInteractions(store);
    }

    @Test
    void listingWhileTheStoreIsDownIs503() throws Exception {
        when(store.list(any())).thenThrow(new RedisConnectionFailureException("connection refused"));

        mvc.perform(get("/v1/jobs"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:store-unavailable"))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("connection refused"))));
    }
}
