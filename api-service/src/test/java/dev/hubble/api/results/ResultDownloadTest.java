package dev.hubble.api.results;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.hubble.api.ApiTestBeans;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultsProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Downloads through signed links, with a real {@link LocalResultLinks} over a temporary directory. */
@WebMvcTest(ResultsController.class)
@Import({ApiTestBeans.class, ResultDownloadTest.LocalStore.class})
class ResultDownloadTest {

    private static final String JOB_ID = "0b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11";
    private static final String OTHER_JOB_ID = "1b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11";
    private static final Duration TTL = Duration.ofHours(1);
    private static final URI BASE = URI.create("http://localhost");

    @TempDir
    static Path resultsDir;

    @Autowired
    MockMvc mvc;

    @Autowired
    LocalResultLinks links;

    @TestConfiguration(proxyBeanMethods = false)
    static class LocalStore {

        @Bean
        LocalResultsProperties localResultsProperties() {
            return new LocalResultsProperties(resultsDir, ApiTestBeans.SIGNING_KEY, TTL);
        }

        @Bean
        LocalResultLinks localResultLinks(LocalResultsProperties properties, Clock clock) {
            return new LocalResultLinks(properties, clock);
        }
    }

    @BeforeEach
    void writeResults() throws IOException {
        write(JOB_ID, "part-0.csv", "a,b\n1,2\n");
        write(JOB_ID, "part-1.csv", "a,b\n3,4\n");
        write(JOB_ID, "part-0.parquet", "PAR1");
        write(JOB_ID, "notes.txt", "n");
        write(OTHER_JOB_ID, "part-0.csv", "secret,of\nanother,job\n");
        Files.writeString(resultsDir.resolve("outside.csv"), "not a result");
    }

    @Test
    void validLinkDownloadsTheFileAsAnAttachment() throws Exception {
        download(link(JOB_ID, "part-0.csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentType("text/csv"))
                .andExpect(header().string("Content-Disposition", containsString("attachment")))
                .andExpect(header().string("Content-Disposition", containsString("part-0.csv")))
                .andExpect(content().string("a,b\n1,2\n"));
    }

    @Test
    void contentTypeFollowsTheExtension() throws Exception {
        download(link(JOB_ID, "part-0.parquet"))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/vnd.apache.parquet"));
        download(link(JOB_ID, "notes.txt"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_OCTET_STREAM));
    }

    @Test
    void tamperedSignatureIs403() throws Exception {
        String url = link(JOB_ID, "part-0.csv");
        char last = url.charAt(url.length() - 1);
        expectLinkInvalid(download(url.substring(0, url.length() - 1) + (last == 'A' ? 'B' : 'A')));
    }

    @Test
    void expiredLinkIs403() throws Exception {
        // Signed two hours before the server's clock, valid for one hour.
        LocalResultLinks earlier = new LocalResultLinks(
                new LocalResultsProperties(resultsDir, ApiTestBeans.SIGNING_KEY, TTL),
                Clock.fixed(ApiTestBeans.NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC));
        String url = earlier.sign(JOB_ID, new ResultFile("part-0.csv", 8), BASE)
                .url()
                .toString();

        expectLinkInvalid(download(url));
    }

    @Test
    void linkWithAnExtendedExpiryIs403() throws Exception {
        String url = link(JOB_ID, "part-0.csv");
        long expires = ApiTestBeans.NOW.plus(TTL).getEpochSecond();

        expectLinkInvalid(download(url.replace("expires=" + expires, "expires=" + (expires + 86_400))));
    }

    @Test
    void linkOfOneFileDoesNotOpenAnother() throws Exception {
        expectLinkInvalid(download(link(JOB_ID, "part-0.csv").replace("part-0.csv", "part-1.csv")));
    }

    @Test
    void linkOfOneJobDoesNotOpenAnothersFiles() throws Exception {
        expectLinkInvalid(download(link(JOB_ID, "part-0.csv").replace(JOB_ID, OTHER_JOB_ID)));
    }

    @Test
    void linkWithoutSignatureOrExpiryIs403() throws Exception {
        expectLinkInvalid(download("/v1/jobs/" + JOB_ID + "/results/part-0.csv"));
        expectLinkInvalid(download("/v1/jobs/" + JOB_ID + "/results/part-0.csv?expires=soon&signature=x"));
    }

    @Test
    void validLinkToAMissingFileIs404() throws Exception {
        download(link(JOB_ID, "part-9.csv"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:result-not-found"));
    }

    @Test
    void namesThatLeaveTheJobsDirectoryAreNeverRead() throws Exception {
        String query = "?expires=" + ApiTestBeans.NOW.plus(TTL).getEpochSecond() + "&signature=x";
        // Spring Security's firewall refuses encoded slashes and dots and dot segments up front.
        for (String name : new String[] {"..%2Foutside.csv", "..%5Coutside.csv", "..", "%2E%2E"}) {
            download("/v1/jobs/" + JOB_ID + "/results/" + name + query)
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("urn:hubble:problem:invalid-request"))
                    .andExpect(content().string(org.hamcrest.Matchers.not(containsString("outside"))));
        }
        download("/v1/jobs/..%2F" + JOB_ID + "/results/part-0.csv" + query)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:invalid-request"));
        // What passes the firewall is still checked by the controller.
        download("/v1/jobs/" + JOB_ID + "/results/x..csv" + query)
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:result-not-found"));
    }

    private String link(String jobId, String name) {
        return links.sign(jobId, new ResultFile(name, 1), BASE).url().toString();
    }

    private ResultActions download(String url) throws Exception {
        return mvc.perform(get(URI.create(url)));
    }

    private static void expectLinkInvalid(ResultActions result) throws Exception {
        result.andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:hubble:problem:link-invalid"));
    }

    private static void write(String jobId, String name, String content) throws IOException {
        Files.createDirectories(resultsDir.resolve(jobId));
        Files.writeString(resultsDir.resolve(jobId).resolve(name), content, StandardCharsets.UTF_8);
    }
}
