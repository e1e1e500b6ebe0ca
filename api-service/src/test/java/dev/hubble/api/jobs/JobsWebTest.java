package dev.hubble.api.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.hubble.api.ApiTestBeans;
import dev.hubble.api.gates.GateSnapshots;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.local.LocalResultsProperties;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobWorkflow;
import dev.hubble.core.view.JobDocuments;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The jobs endpoints over Spring MVC with Temporal and the job store mocked. Subclasses share
 * one application context.
 */
@WebMvcTest({JobsController.class, JobErrorsController.class, JobResultsController.class})
@Import({ApiTestBeans.class, JobService.class, JobDocuments.class, FinishedJobs.class, JobsWebTest.Links.class})
abstract class JobsWebTest {

    static final String JOB_ID = "0b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11";

    @Autowired
    MockMvc mvc;

    @Autowired
    FinishedJobs finished;

    @BeforeEach
    void forgetFinishedJobs() {
        finished.forgetAll(); // the tests show the same job in different states
    }

    @BeforeEach
    void readRecordAndChildrenAsTheyAreStubbed() {
        // The one-round-trip read answers what find and children are stubbed to answer.
        when(store.findWithChildren(any())).thenCallRealMethod();
    }

    @MockitoBean
    WorkflowClient client;

    @MockitoBean
    JobStore store;

    @MockitoBean
    GateSnapshots gates;

    @TestConfiguration(proxyBeanMethods = false)
    static class Links {

        /** The local store's directory, shared by the subclasses. */
        static final Path RESULTS = temporaryDirectory();

        private static Path temporaryDirectory() {
            try {
                Path dir = Files.createTempDirectory("hubble-results");
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Bean
        ResultStores resultStores(Clock clock) {
            LocalResultLinks links = new LocalResultLinks(
                    new LocalResultsProperties(RESULTS, ApiTestBeans.SIGNING_KEY, Duration.ofHours(1)), clock);
            return new ResultStores(List.of(new LocalResultStore(RESULTS, links)), ResultStores.LOCAL, Map.of());
        }
    }

    /** The stub a new submission starts its workflow through. */
    JobWorkflow workflowToStart() {
        JobWorkflow workflow = mock(JobWorkflow.class);
        when(client.newWorkflowStub(eq(JobWorkflow.class), any(WorkflowOptions.class)))
                .thenReturn(workflow);
        return workflow;
    }

    /** The stub that queries and signals the running workflow of {@code jobId}. */
    JobWorkflow runningWorkflow(String jobId) {
        JobWorkflow workflow = mock(JobWorkflow.class);
        when(client.newWorkflowStub(JobWorkflow.class, jobId)).thenReturn(workflow);
        return workflow;
    }

    WorkflowStub untypedWorkflow(String jobId) {
        WorkflowStub stub = mock(WorkflowStub.class);
        when(client.newUntypedWorkflowStub(jobId)).thenReturn(stub);
        return stub;
    }

    static JobSpec spec() {
        return new JobSpec(
                "select 42",
                "duckdb",
                OutputFormat.CSV,
                "reports",
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(6),
                Map.of(),
                null);
    }

    static JobRecord record(String jobId, JobState state) {
        JobRecord accepted = JobRecord.accepted(jobId, spec(), ApiTestBeans.NOW.minusSeconds(60));
        return state == JobState.QUEUED
                ? accepted
                : new JobRecord(jobId, accepted.spec(), state, 3, accepted.createdAt(), ApiTestBeans.NOW, null, null);
    }

    static WorkflowExecution execution(String jobId) {
        return WorkflowExecution.newBuilder().setWorkflowId(jobId).build();
    }
}
