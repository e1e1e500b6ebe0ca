package dev.hubble.dev;

import dev.hubble.worker.HubbleWorkerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Hubble's worker application ({@link HubbleWorkerApplication}, as production runs it) in a JVM
 * of its own, on the test class path, connected to the servers of a local stack by the settings
 * it is given (in a file: they hold secrets, which stay off its command line). It can be killed
 * without warning ({@code kill -9}) and another one started in its place.
 */
final class ChildWorker implements AutoCloseable {

    private final Path log;
    private final Process process;

    private ChildWorker(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    /**
     * Starts a worker with {@code settings} (Spring properties) and waits until its worker pools
     * poll; {@code name} names its log, {@code <dir>/<name>.log}.
     */
    static ChildWorker start(Path dir, String name, Map<String, String> settings) {
        try {
            Files.createDirectories(dir);
            Path properties = dir.resolve(name + ".properties");
            Properties file = new Properties();
            file.putAll(settings);
            try (var out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
                file.store(out, "settings of worker " + name);
            }
            Path argFile = dir.resolve("java.args");
            Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n-Xmx768m\n");
            Path log = dir.resolve(name + ".log");
            Process process = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "@" + argFile,
                            HubbleWorkerApplication.class.getName(),
                            "--spring.config.additional-location=file:" + properties))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildWorker worker = new ChildWorker(log, process);
            worker.awaitStarted(Duration.ofSeconds(180));
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Everything the worker has printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills the worker with SIGKILL, as the kernel's OOM killer or {@code kill -9} would: no
     * shutdown hook runs, nothing it started is stopped. Returns once the process is gone.
     */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker " + process.pid() + " still runs after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitStarted(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!output().contains("Started " + HubbleWorkerApplication.class.getSimpleName())) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not start within " + atMost + "; see " + log);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops the worker as an operator would (SIGTERM), and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        ChildProcesses.terminate(process, Duration.ofSeconds(60));
    }
}
