package dev.hubble.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonJobNamesTest {

    @TempDir
    Path jobs;

    @Test
    void plainIdentifiersAreValidNames() {
        assertThat(PythonJobNames.isValid("hello")).isTrue();
        assertThat(PythonJobNames.isValid("_private")).isTrue();
        assertThat(PythonJobNames.isValid("Daily_Report2")).isTrue();
        assertThat(PythonJobNames.isValid("a".repeat(64))).isTrue();
    }

    @Test
    void anythingElseIsNotAName() {
        assertThat(PythonJobNames.isValid(null)).isFalse();
        assertThat(PythonJobNames.isValid("")).isFalse();
        assertThat(PythonJobNames.isValid("2fast")).isFalse();
        assertThat(PythonJobNames.isValid("hello.py")).isFalse();
        assertThat(PythonJobNames.isValid("../etc/passwd")).isFalse();
        assertThat(PythonJobNames.isValid("sub/job")).isFalse();
        assertThat(PythonJobNames.isValid("job-name")).isFalse();
        assertThat(PythonJobNames.isValid("job; rm -rf /")).isFalse();
        assertThat(PythonJobNames.isValid("hello\n")).isFalse();
        assertThat(PythonJobNames.isValid("héllo")).isFalse();
        assertThat(PythonJobNames.isValid("a".repeat(65))).isFalse();
    }

    @Test
    void availableJobsAreTheValidlyNamedPythonFilesSorted() throws IOException {
        Files.writeString(jobs.resolve("zeta.py"), "");
        Files.writeString(jobs.resolve("alpha.py"), "");
        Files.writeString(jobs.resolve("not-a-name.py"), "");
        Files.writeString(jobs.resolve("notes.txt"), "");
        Files.createDirectory(jobs.resolve("package.py"));

        assertThat(PythonJobNames.available(jobs)).containsExactly("alpha", "zeta");
    }

    @Test
    void aMissingJobsDirectoryHasNoJobs() {
        assertThat(PythonJobNames.available(jobs.resolve("missing"))).isEmpty();
    }

    @Test
    void resolvesAnExistingJobToItsAbsoluteFile() throws IOException {
        Path file = Files.writeString(jobs.resolve("hello.py"), "");

        assertThat(PythonJobNames.resolve(jobs, "hello")).contains(file.toAbsolutePath());
    }

    @Test
    void resolvesNeitherMissingJobsNorInvalidNames() throws IOException {
        Files.createDirectories(jobs.resolve("sub"));
        Files.writeString(jobs.resolve("sub/inner.py"), "");
        Files.writeString(jobs.resolve("Hello.py"), "");

        assertThat(PythonJobNames.resolve(jobs, "missing")).isEmpty();
        assertThat(PythonJobNames.resolve(jobs, "sub/inner")).isEmpty();
        assertThat(PythonJobNames.resolve(jobs, "../" + jobs.getFileName() + "/Hello"))
                .isEmpty();
        assertThat(PythonJobNames.resolve(jobs, null)).isEmpty();
    }

    @Test
    void rejectionOfAnUnknownJobNamesTheAvailableOnesButNotTheDirectory() throws IOException {
        Files.writeString(jobs.resolve("hello.py"), "");
        Files.writeString(jobs.resolve("fails.py"), "");

        assertThat(PythonJobNames.rejection(jobs, "missing"))
                .isEqualTo("unknown Python job 'missing'; available jobs: fails, hello")
                .doesNotContain(jobs.toString());
    }

    @Test
    void rejectionOfAnInvalidNameSaysWhatANameIs() throws IOException {
        Files.writeString(jobs.resolve("hello.py"), "");

        assertThat(PythonJobNames.rejection(jobs, "SELECT 1\nFROM t"))
                .startsWith("'SELECT 1 FROM t' is not a Python job name")
                .endsWith("; available jobs: hello");
        assertThat(PythonJobNames.rejection(jobs, "x".repeat(500))).hasSizeLessThan(300);
    }

    @Test
    void rejectionSaysSoWhenThereAreNoJobs() {
        assertThat(PythonJobNames.rejection(jobs, "hello"))
                .isEqualTo("unknown Python job 'hello'; there are no Python jobs");
    }

    @Test
    void aDirectoryCatalogKnowsTheJobsInItNow() throws IOException {
        JobCatalog catalog = PythonJobNames.inDirectory("local-python", jobs);
        assertThat(catalog.driver()).isEqualTo("local-python");
        assertThat(catalog.rejection("hello")).contains("unknown Python job 'hello'; there are no Python jobs");

        Files.writeString(jobs.resolve("hello.py"), "");

        assertThat(catalog.rejection("hello")).isEmpty();
    }

    @Test
    void aNamedCatalogKnowsExactlyItsNames() {
        JobCatalog catalog = PythonJobNames.named("python", List.of("report_card", "segments"));

        assertThat(catalog.driver()).isEqualTo("python");
        assertThat(catalog.rejection("segments")).isEmpty();
        assertThat(catalog.rejection("other"))
                .contains("unknown Python job 'other'; available jobs: report_card, segments");
        assertThat(catalog.rejection("../segments"))
                .get()
                .asString()
                .startsWith("'../segments' is not a Python job name");
    }
}
