package dev.hubble.trinodev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a Trino can be started from. The Trino itself is started and queried by the trino
 * driver's tests ({@code activities}, {@code temporal-dev}), one per test JVM: a start here
 * would only add a third to the build.
 */
class TrinoServerProcessTest {

    @Test
    void findsAJava25HomeAndTheTrinoHomeOnThisMachine() {
        assertThat(TrinoServerProcess.unavailable()).isEmpty();
        assertThat(TrinoServerProcess.feature(TrinoServerProcess.javaHome())).isGreaterThanOrEqualTo(25);
        assertThat(TrinoServerProcess.home().resolve("lib")).isDirectory();
        assertThat(TrinoServerProcess.home().resolve("TrinoDev.java")).isRegularFile();
    }

    @Test
    void aJdkHomeIsKnownByItsReleaseFile(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("jdk"));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.createFile(home.resolve("bin/java"));
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\n");

        assertThat(TrinoServerProcess.feature(home)).isEqualTo(25);
        assertThat(TrinoServerProcess.feature(dir)).as("no release file").isZero();
    }
}
