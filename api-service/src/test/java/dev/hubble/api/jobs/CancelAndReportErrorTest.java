package dev.hubble.api.jobs;

import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobState;
import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.temporal.ProgressReport;
import dev.hubble.core.temporal.RemotePhase;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

class CancelAndReportErrorTest extends JobsWebTest {

    @Autowired
    JobTokens tokens;

    @Test
    void cancellingARunningJobSignalsAndCancelsItsWorkflow() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow job = runningWorkflow(JOB_ID);
        WorkflowStub workflow = untypedWorkflow(JOB_ID);

        mvc.perform(delete("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.jobId").value(JOB_ID))
                .andExpect(jsonPath("$.state").value("RUNNING"));
        verify(job).requestCancel();
        verify(workflow).cancel();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobState.class,
            names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"})
    void cancellingAFinishedJobIs409(JobState state) throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, state)));
        WorkflowStub workflow = untypedWorkflow(JOB_ID);

        mvc.perform(delete("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-finished"));
        verify(workflow, never()).cancel();
    }

    @Test
    void cancellingAJobWhoseWorkflowJustClosedIs409() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow job = runningWorkflow(JOB_ID);
        doThrow(new WorkflowNotFoundException(execution(JOB_ID), null, null))
                .when(job)
                .requestCancel();

        mvc.perform(delete("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-finished"));
    }

    @Test
    void cancellingAnUnknownJobIs404() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.empty());
        when(runningWorkflow(JOB_ID).status()).thenThrow(new WorkflowNotFoundException(execution(JOB_ID), null, null));

        mvc.perform(delete("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-not-found"));
    }

    @Test
    void errorReportedByARunningJobIsSignalledToItsWorkflow() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        reportError("{\"message\": \"table not found: sales\", \"detail\": \"at line 3\"}")
                .andExpect(status().isAccepted());
        verify(workflow).reportError(new JobError("table not found: sales", "at line 3"));
    }

    @Test
    void errorReportedForAFinishedJobIs409() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.FAILED)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        reportError("{\"message\": \"too late\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-finished"));
        verify(workflow, never()).reportError(any());
    }

    @Test
    void errorReportedForAnUnknownJobIs404() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.empty());
        when(runningWorkflow(JOB_ID).status()).thenThrow(new WorkflowNotFoundException(execution(JOB_ID), null, null));

        reportError("{\"message\": \"boom\"}").andExpect(status().isNotFound());
    }

    @Test
    void errorReportWithoutAMessageIs400() throws Exception {
        reportError("{\"detail\": \"only detail\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("message"));
    }

    @Test
    void errorReportOverTheSizeLimitsIs400() throws Exception {
        String message = "m".repeat(8 * 1024 + 1);
        String detail = "d".repeat(64 * 1024 + 1);

        reportError("{\"message\": \"" + message + "\", \"detail\": \"" + detail + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("message"))
                .andExpect(jsonPath("$.errors[1].field").value("detail"));
    }

    @Test
    void errorReportWithoutTheJobsTokenIs401AndChangesNothing() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        mvc.perform(post("/v1/jobs/{id}/errors", JOB_ID)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"message\": \"boom\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-missing"));
        verify(workflow, never()).reportError(any());
    }

    @Test
    void errorReportWithAnotherJobsTokenIs403AndChangesNothing() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);
        String otherJobsToken = tokens.issue("9d3b1c55-0000-4000-8000-000000000000", Duration.ofHours(1));

        reportError("{\"message\": \"boom\"}", otherJobsToken)
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-invalid"));
        verify(workflow, never()).reportError(any());
    }

    @Test
    void progressPushedByARunningJobIsSignalledToItsWorkflow() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.SUBMITTED)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        pushStatus("{\"phase\": \"running\"}", tokens.issue(JOB_ID, Duration.ofHours(1)))
                .andExpect(status().isAccepted());
        pushStatus("{\"phase\": \"FAILED\", \"message\": \"no rows\"}", tokens.issue(JOB_ID, Duration.ofHours(1)))
                .andExpect(status().isAccepted());

        verify(workflow).reportProgress(new ProgressReport(RemotePhase.RUNNING, null));
        verify(workflow).reportProgress(new ProgressReport(RemotePhase.FAILED, "no rows"));
    }

    @Test
    void progressPushedForAFinishedJobIs409AndChangesNothing() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.SUCCEEDED)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        pushStatus("{\"phase\": \"SUCCEEDED\"}", tokens.issue(JOB_ID, Duration.ofHours(1)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-finished"));
        verify(workflow, never()).reportProgress(any());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{}", "{\"phase\": \"QUEUED\"}", "{\"phase\": \"done\"}"})
    void progressWithoutAKnownPhaseIs400(String body) throws Exception {
        pushStatus(body, tokens.issue(JOB_ID, Duration.ofHours(1)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("phase"));
    }

    @Test
    void progressWithoutTheJobsTokenIs401AndWithAnotherJobsTokenIs403() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        mvc.perform(post("/v1/jobs/{id}/status", JOB_ID)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"phase\": \"RUNNING\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-missing"));
        pushStatus(
                        "{\"phase\": \"RUNNING\"}",
                        tokens.issue("9d3b1c55-0000-4000-8000-000000000000", Duration.ofHours(1)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-invalid"));
        verify(workflow, never()).reportProgress(any());
    }

    private org.springframework.test.web.servlet.ResultActions pushStatus(String body, String token) throws Exception {
        return mvc.perform(post("/v1/jobs/{id}/status", JOB_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + token)
                .content(body));
    }

    @Test
    void errorReportWithTheJobsExpiredTokenIs401AndChangesNothing() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(record(JOB_ID, JobState.RUNNING)));
        JobWorkflow workflow = runningWorkflow(JOB_ID);
        // Issued two days ago for a job with a one-day timeout: expired a day minus the margin ago.
        JobTokens issuedEarlier = new JobTokens(
                new JobTokenProperties(ApiTestBeans.TOKEN_SECRET),
                Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC));

        reportError("{\"message\": \"boom\"}", issuedEarlier.issue(JOB_ID, Duration.ofDays(1)))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-expired"));
        verify(workflow, never()).reportError(any());
    }

    private org.springframework.test.web.servlet.ResultActions reportError(String body) throws Exception {
        return reportError(body, tokens.issue(JOB_ID, Duration.ofHours(1)));
    }

    private org.springframework.test.web.servlet.ResultActions reportError(String body, String token) throws Exception {
        return mvc.perform(post("/v1/jobs/{id}/errors", JOB_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + token)
                .content(body));
    }
}
