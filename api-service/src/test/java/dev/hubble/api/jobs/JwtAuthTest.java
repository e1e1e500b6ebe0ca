package dev.hubble.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.temporal.JobWorkflow;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * With {@code hubble.api.auth.jwt.jwk-set-uri} set, every {@code /v1} call needs a bearer JWT
 * signed by a key of that JWK set (served here by a tiny HTTP server, with keys made here), and
 * callers see only their own source's jobs; a job's own calls keep its job token.
 */
class JwtAuthTest extends JobsWebTest {

    private static final RSAKey KEY = rsaKey("hubble-test");
    private static final RSAKey STRANGER = rsaKey("hubble-test");
    private static final HttpServer JWKS = jwkSetServer();

    @Autowired
    JobTokens tokens;

    @DynamicPropertySource
    static void auth(DynamicPropertyRegistry registry) {
        registry.add(
                "hubble.api.auth.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
    }

    @AfterAll
    static void stopJwkSetServer() {
        JWKS.stop(0);
    }

    @Test
    void callWithoutATokenIs401Problem() throws Exception {
        mvc.perform(get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:unauthenticated"))
                .andExpect(jsonPath("$.status").value(401));
        mvc.perform(get("/v1/jobs")).andExpect(status().isUnauthorized());
        mvc.perform(post("/v1/jobs").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void tokenSignedByAnotherKeyExpiredOrMalformedIs401() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(job("alice")));

        for (String token : List.of(
                jwt(STRANGER, "alice", List.of(), Instant.now().plusSeconds(300)),
                jwt(KEY, "alice", List.of(), Instant.now().minusSeconds(300)),
                "not-a-token",
                "a.b.c")) {
            mvc.perform(get("/v1/jobs/{id}", JOB_ID).header("Authorization", "Bearer " + token))
                    .andExpect(status().isUnauthorized())
                    .andExpect(jsonPath("$.type").value("urn:hubble:problem:unauthenticated"));
        }
    }

    @Test
    void sourceOfASubmittedJobIsTheCallersSubject() throws Exception {
        workflowToStart();
        when(store.save(any())).thenReturn(true);

        as(
                        "alice",
                        post("/v1/jobs")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"query\": \"select 42\", \"driver\": \"duckdb\", \"source\": \"bob\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.source").value("alice"));
    }

    @Test
    void onlyTheJobsSourceOrAnAdminMayReadIt() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(job("bob")));

        as("alice", get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:forbidden"));
        as("bob", get("/v1/jobs/{id}", JOB_ID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.source").value("bob"));
        asAdmin("carol", get("/v1/jobs/{id}", JOB_ID)).andExpect(status().isOk());
    }

    @Test
    void onlyTheJobsSourceMayCancelIt() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(job("bob")));
        JobWorkflow job = runningWorkflow(JOB_ID);
        WorkflowStub workflow = untypedWorkflow(JOB_ID);

        as("alice", delete("/v1/jobs/{id}", JOB_ID)).andExpect(status().isForbidden());
        verify(job, never()).requestCancel();
        verify(workflow, never()).cancel();

        as("bob", delete("/v1/jobs/{id}", JOB_ID)).andExpect(status().isAccepted());
        verify(job).requestCancel();
        verify(workflow).cancel();
    }

    @Test
    void aCallerListsOnlyItsOwnJobsUnlessItIsAnAdmin() throws Exception {
        when(store.list(any())).thenReturn(List.of());

        as("alice", get("/v1/jobs")).andExpect(status().isOk());
        as("alice", get("/v1/jobs").param("source", "bob")).andExpect(status().isForbidden());
        asAdmin("carol", get("/v1/jobs").param("source", "bob")).andExpect(status().isOk());

        ArgumentCaptor<JobQuery> queries = ArgumentCaptor.forClass(JobQuery.class);
        verify(store, org.mockito.Mockito.times(2)).list(queries.capture());
        assertThat(queries.getAllValues()).extracting(JobQuery::source).containsExactly("alice", "bob");
    }

    @Test
    void aRunningJobReportsItsErrorWithItsJobTokenAlone() throws Exception {
        when(store.find(JOB_ID)).thenReturn(Optional.of(job("bob")));
        JobWorkflow workflow = runningWorkflow(JOB_ID);

        mvc.perform(post("/v1/jobs/{id}/errors", JOB_ID)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Authorization", "Bearer " + tokens.issue(JOB_ID, Duration.ofHours(1)))
                        .content("{\"message\": \"boom\"}"))
                .andExpect(status().isAccepted());
        verify(workflow).reportError(new JobError("boom", null));

        mvc.perform(post("/v1/jobs/{id}/errors", JOB_ID)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(
                                "Authorization",
                                "Bearer "
                                        + jwt(
                                                KEY,
                                                "bob",
                                                List.of(),
                                                Instant.now().plusSeconds(300)))
                        .content("{\"message\": \"boom\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:job-token-invalid"));
    }

    @Test
    void aRunningJobSubmitsAndReadsItsChildrenWithItsJobTokenUnderItsOwnSource() throws Exception {
        String parent = "9d3b1c55-0000-4000-8000-000000000000";
        when(store.find(parent))
                .thenReturn(Optional.of(new JobRecord(
                        parent, spec("bob", null), JobState.RUNNING, 2, Instant.now(), Instant.now(), null, null)));
        when(store.find(JOB_ID))
                .thenReturn(Optional.of(new JobRecord(
                        JOB_ID, spec("bob", parent), JobState.RUNNING, 2, Instant.now(), Instant.now(), null, null)));
        workflowToStart();
        when(store.save(any())).thenReturn(true);
        String token = "Bearer " + tokens.issue(parent, Duration.ofHours(1));

        mvc.perform(post("/v1/jobs")
                        .header("Authorization", token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"query\": \"select 1\", \"driver\": \"duckdb\", \"source\": \"x\", \"parentJobId\": \""
                                        + parent + "\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.source").value("bob"));
        mvc.perform(get("/v1/jobs/{id}", JOB_ID).header("Authorization", token)).andExpect(status().isOk());
        mvc.perform(post("/v1/jobs")
                        .header("Authorization", token)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"query\": \"select 1\", \"driver\": \"duckdb\", \"source\": \"x\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/v1/jobs").header("Authorization", token)).andExpect(status().isForbidden());
    }

    private ResultActions as(String subject, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(
                "Authorization",
                "Bearer " + jwt(KEY, subject, List.of(), Instant.now().plusSeconds(300))));
    }

    private ResultActions asAdmin(String subject, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(
                "Authorization",
                "Bearer "
                        + jwt(
                                KEY,
                                subject,
                                List.of("hubble-admin"),
                                Instant.now().plusSeconds(300))));
    }

    private static JobRecord job(String source) {
        return new JobRecord(JOB_ID, spec(source, null), JobState.RUNNING, 3, Instant.now(), Instant.now(), null, null);
    }

    private static JobSpec spec(String source, String parentJobId) {
        return new JobSpec(
                "select 42",
                "duckdb",
                OutputFormat.CSV,
                source,
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(6),
                Map.of(),
                parentJobId);
    }

    private static String jwt(RSAKey key, String subject, List<String> roles, Instant expires) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .subject(subject)
                        .claim("roles", roles)
                        .issueTime(Date.from(Instant.now().minusSeconds(60)))
                        .expirationTime(Date.from(expires))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serves the public half of {@link #KEY} as a JWK set. */
    private static HttpServer jwkSetServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
