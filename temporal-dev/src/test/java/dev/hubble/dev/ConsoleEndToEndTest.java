package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The job console in a real headless Chromium against the real local stack: jobs are submitted
 * through the API, and the console, rendered by the browser with its JavaScript, shows them.
 * Skipped, saying why, only where no Chromium is installed ({@code apt-get install chromium}).
 */
class ConsoleEndToEndTest {

    private static final Pattern RESULT_LINK = Pattern.compile("<a href=\"([^\"]+)\" class=\"result-link\">");
    private static final Duration PAGE_BUDGET = Duration.ofSeconds(6);

    private static Path chromium;
    /** Chromium's profile; not a @TempDir, which Chromium's helpers may still write into as it is deleted. */
    private static Path profile;

    private final LocalStack stack = LocalStack.get();

    @BeforeAll
    static void findChromium() throws IOException {
        chromium = browser().orElse(null);
        Assumptions.assumeTrue(
                chromium != null,
                "No Chromium on this machine (looked for chromium, chromium-browser, google-chrome on the PATH):"
                        + " the console is not tested in a browser here. Install it with: apt-get install chromium");
        profile = Files.createTempDirectory("hubble-console-chromium");
    }

    @AfterAll
    static void removeProfile() {
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile.toFile()); // best effort
        }
    }

    @Test
    void submittedJobReachesSucceededInTheConsoleAndItsLinkDownloads() {
        String source = "e2e-console-" + UUID.randomUUID();
        String jobId = stack.submit(Map.of("query", "select 42 as answer", "driver", "duckdb", "source", source));

        String page = await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> dom("/console/#/jobs/" + jobId),
                        dom -> dom.contains("data-state=\"SUCCEEDED\"")
                                && dom.contains("class=\"result-link\"")
                                && dom.contains("data-kind=\"workflow-completed\""));

        assertThat(page).contains(jobId).contains("1 file,").contains("SUCCEEDED after");
        Matcher link = RESULT_LINK.matcher(page);
        assertThat(link.find()).as("a result link in the page").isTrue();
        HttpResponse<byte[]> download = stack.download(link.group(1).replace("&amp;", "&"));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");

        String list = dom("/console/#/?source=" + source);
        assertThat(list)
                .contains("data-job-id=\"" + jobId + "\"")
                .contains("data-state=\"SUCCEEDED\"")
                .contains("1 job, newest first");
        assertThat(dom("/console/#/?source=" + source + "&state=FAILED"))
                .contains("No jobs match.")
                .doesNotContain(jobId);
    }

    @Test
    void jobWithAThousandFilesAndAFiveThousandLineLogStaysReadable() {
        String jobId = stack.submit(Map.of(
                "query",
                "many_files",
                "driver",
                "local-python",
                "source",
                "e2e-console-large",
                "parameters",
                Map.of("files", "1000", "lines", "5000")));
        stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(3));

        String page = await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> dom("/console/#/jobs/" + jobId + "?log=5000"),
                        dom -> dom.contains("progress line 5000 of 5000"));

        assertThat(page).contains("1000 files,").contains("page 1 of 20");
        assertThat(RESULT_LINK.matcher(page).results().count())
                .as("links on the first page")
                .isEqualTo(50);
        assertThat(page).contains("progress line 1 of 5000").contains("showing the last 5000 lines");
        String shortLog = dom("/console/#/jobs/" + jobId);
        assertThat(shortLog)
                .contains("progress line 5000 of 5000")
                .doesNotContain("progress line 4500 of 5000")
                .contains("showing the last 500 lines");
    }

    @Test
    void screenshotsOfTheConsole() throws IOException {
        String jobId = stack.submit(Map.of(
                "query",
                "select 42 as answer, 'forty-two' as words",
                "driver",
                "duckdb",
                "source",
                "e2e-console-shots"));
        String failed = stack.submit(
                Map.of("query", "select * from events", "driver", "duckdb", "source", "e2e-console-shots"));
        stack.awaitState(jobId, "SUCCEEDED");
        stack.awaitState(failed, "FAILED");
        Path shots = Files.createDirectories(Path.of("target", "console-screenshots"));

        screenshot("/console/#/", shots.resolve("console-jobs.png"));
        screenshot("/console/#/jobs/" + jobId, shots.resolve("console-job.png"));

        assertThat(shots.resolve("console-jobs.png")).isNotEmptyFile();
        assertThat(shots.resolve("console-job.png")).isNotEmptyFile();
    }

    /** The page's DOM after its scripts ran, as headless Chromium serialises it. */
    private String dom(String path) {
        return chromium(List.of("--dump-dom", stack.api + path));
    }

    private void screenshot(String path, Path file) {
        chromium(List.of("--screenshot=" + file.toAbsolutePath(), "--window-size=1280,860", stack.api + path));
    }

    private String chromium(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + PAGE_BUDGET.toMillis()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish: " + command);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> browser() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
