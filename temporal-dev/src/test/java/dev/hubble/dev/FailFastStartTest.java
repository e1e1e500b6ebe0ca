package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.api.HubbleApiApplication;
import dev.hubble.core.startup.OneLineFailureReporter;
import dev.hubble.worker.HubbleWorkerApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack, API or worker that cannot start ends its JVM with a non-zero status and, as the last
 * line it prints, says what is wrong and which setting to change. Each case runs the real main
 * class in a JVM of its own, as a user would, and prints how long the failed start took.
 *
 * <p>The cases: a port in use (stack: the API's and Temporal's; API: its own) and a required
 * setting missing (stack, API and worker: {@code hubble.jobs.token-secret}) or invalid (worker).
 * The worker listens on no port (its jar has no web server), so it has no port to find taken.
 */
class FailFastStartTest {

    /**
     * Far above the 15 s a failed start takes on a quiet machine: a shared build machine may be
     * so busy that Spring alone takes a minute to get to the failure.
     */
    private static final long PATIENCE_SECONDS = 240;

    /** The API and the worker read no application.yml (the local stack's is on this class path). */
    private static final String ONLY_THESE_SETTINGS = "--spring.config.location=optional:file:no-such-file.yml";

    @TempDir
    Path dir;

    @Test
    void aSecondStackOnATakenTemporalPortExitsNamingTheSetting() throws Exception {
        try (ServerSocket taken = takePort()) {
            Outcome outcome = run(
                    HubbleDev.class,
                    "--hubble.dev.temporal-port=" + taken.getLocalPort(),
                    "--server.port=0",
                    "--hubble.dev.redis-port=0",
                    "--hubble.dev.kafka-port=0",
                    "--hubble.dev.data-dir=" + dir.resolve("data"));

            assertThat(outcome.exit()).as(outcome.output()).isNotZero();
            assertThat(outcome.lastLine())
                    .as(outcome.output())
                    .startsWith(OneLineFailureReporter.PREFIX)
                    .contains(":" + taken.getLocalPort() + ": the port is in use", "hubble.dev.temporal-port");
        }
    }

    @Test
    void aStackOnATakenApiPortExitsBeforeStartingAnything() throws Exception {
        try (ServerSocket taken = takePort()) {
            Outcome outcome = run(
                    HubbleDev.class,
                    "--server.port=" + taken.getLocalPort(),
                    "--hubble.dev.temporal-port=0",
                    "--hubble.dev.redis-port=0",
                    "--hubble.dev.kafka-port=0",
                    "--hubble.dev.data-dir=" + dir.resolve("data"));

            assertThat(outcome.exit()).as(outcome.output()).isNotZero();
            assertThat(outcome.lastLine())
                    .as(outcome.output())
                    .startsWith(OneLineFailureReporter.PREFIX)
                    .contains("in use", "server.port");
            assertThat(outcome.output()).doesNotContain("Temporal test server listens");
        }
    }

    @Test
    void anApiWithoutItsTokenSecretExitsNamingIt() throws Exception {
        Outcome outcome = run(
                HubbleApiApplication.class,
                ONLY_THESE_SETTINGS,
                "--server.port=0",
                "--hubble.results.local.dir=" + dir,
                "--hubble.results.local.signing-key=" + "k".repeat(32));

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.lastLine())
                .as(outcome.output())
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret");
    }

    @Test
    void aWorkerWithATooShortTokenSecretExitsNamingItWithoutPrintingIt() throws Exception {
        String secret = "short-but-secret-1234";
        Outcome outcome = run(
                HubbleWorkerApplication.class,
                ONLY_THESE_SETTINGS,
                "--hubble.jobs.token-secret=" + secret,
                "--hubble.results.local.dir=" + dir,
                "--hubble.results.local.signing-key=" + "k".repeat(32));

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.lastLine())
                .as(outcome.output())
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret");
        assertThat(outcome.output()).doesNotContain(secret);
    }

    @Test
    void aStackWithoutItsTokenSecretExitsNamingIt() throws Exception {
        // The stack makes up every secret it is not given; one given empty is missing, not made up.
        Outcome outcome = run(
                HubbleDev.class,
                "--hubble.jobs.token-secret=",
                "--server.port=0",
                "--hubble.dev.temporal-port=0",
                "--hubble.dev.redis-port=0",
                "--hubble.dev.kafka-port=0",
                "--hubble.dev.s3-port=0",
                "--hubble.dev.spark=false",
                "--hubble.dev.data-dir=" + dir.resolve("data"));

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.lastLine())
                .as(outcome.output())
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret");
    }

    @Test
    void anApiOnATakenPortExitsNamingTheSetting() throws Exception {
        try (ServerSocket taken = takePort()) {
            Outcome outcome = run(
                    HubbleApiApplication.class,
                    ONLY_THESE_SETTINGS,
                    "--server.port=" + taken.getLocalPort(),
                    "--server.address=127.0.0.1",
                    "--hubble.jobs.token-secret=" + "s".repeat(32),
                    "--hubble.results.local.dir=" + dir,
                    "--hubble.results.local.signing-key=" + "k".repeat(32));

            assertThat(outcome.exit()).as(outcome.output()).isNotZero();
            assertThat(outcome.lastLine())
                    .as(outcome.output())
                    .startsWith(OneLineFailureReporter.PREFIX)
                    .contains(taken.getLocalPort() + ": it is in use", "server.port");
        }
    }

    @Test
    void aWorkerWithoutItsTokenSecretExitsNamingIt() throws Exception {
        Outcome outcome = run(
                HubbleWorkerApplication.class,
                ONLY_THESE_SETTINGS,
                "--server.port=0",
                "--hubble.results.local.dir=" + dir,
                "--hubble.results.local.signing-key=" + "k".repeat(32));

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.lastLine())
                .as(outcome.output())
                .startsWith(OneLineFailureReporter.PREFIX)
                .contains("hubble.jobs.token-secret");
    }

    private static ServerSocket takePort() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    /** Runs {@code main} of {@code mainClass} in a JVM of its own, on the test class path. */
    private Outcome run(Class<?> mainClass, String... args) throws Exception {
        Path argFile = dir.resolve("java.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n-Xmx512m\n");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile,
                mainClass.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve(mainClass.getSimpleName() + ".log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited)
                .as("%s still runs after %d s:%n%s", mainClass.getSimpleName(), PATIENCE_SECONDS, output)
                .isTrue();
        System.out.printf(
                "%s failed to start and exited with %d after %d ms%n",
                mainClass.getSimpleName(), process.exitValue(), millis);
        return new Outcome(process.exitValue(), output);
    }

    private record Outcome(int exit, String output) {

        String lastLine() {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }
}
