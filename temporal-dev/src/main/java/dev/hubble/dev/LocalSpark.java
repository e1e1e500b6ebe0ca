package dev.hubble.dev;

import dev.hubble.livydev.DevHomes;
import dev.hubble.livydev.LivyServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The local stack's Spark: a real Livy with local Spark as child processes (see
 * {@code livy-dev/README.md}), started in the background while the rest of the stack starts, and
 * the {@code spark} driver pointed at it, with local result locations (Spark here shares the
 * worker's file system). A Spark job submitted before Livy answers waits in its
 * submit's retries.
 *
 * <p>{@code --hubble.dev.spark=false} leaves it out, and so does a build without the Livy and
 * Spark homes (then a warning says how to build them). {@code --hubble.dev.livy-port} (default:
 * a free port) is Livy's port.
 */
final class LocalSpark {

    private static final Logger log = LoggerFactory.getLogger(LocalSpark.class);
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);

    private final int port;
    private final CompletableFuture<LivyServerProcess> livy;

    private LocalSpark(int port, CompletableFuture<LivyServerProcess> livy) {
        this.port = port;
        this.livy = livy;
    }

    /**
     * Starts Livy in the background and adds the spark driver's settings to {@code wiring};
     * empty when Spark is off.
     */
    static Optional<LocalSpark> start(ConfigurableEnvironment environment, Path dataDir, String apiUrl,
            Map<String, Object> wiring) {
        if (!environment.getProperty("hubble.dev.spark", Boolean.class, true)) {
            return Optional.empty();
        }
        Path livyHome;
        Path sparkHome;
        Path jar;
        try {
            livyHome = DevHomes.livyHome();
            sparkHome = DevHomes.sparkHome();
            jar = DevHomes.sparkJobJar();
        } catch (IllegalStateException e) {
            log.warn("Spark jobs are off in this stack: {}", e.getMessage());
            return Optional.empty();
        }
        int port = environment.getProperty("hubble.dev.livy-port", Integer.class, 0);
        if (port == 0) {
            port = freePort();
        }
        LivyServerProcess.Builder builder = LivyServerProcess.builder()
                .livyHome(livyHome)
                .sparkHome(sparkHome)
                .workDir(dataDir.resolve("livy"))
                .allowLocalDir(jar.getParent())
                .port(port);
        CompletableFuture<LivyServerProcess> livy = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                livy.complete(builder.start());
            } catch (RuntimeException e) {
                livy.completeExceptionally(e);
            }
        }, "livy-starter");
        starter.setDaemon(true);
        starter.start();
        int livyPort = port;
        livy.whenComplete((server, failure) -> {
            if (failure != null) {
                log.error("Livy did not start, Spark jobs will fail to submit: {}", failure.getMessage());
            } else {
                log.info("Livy answers on 127.0.0.1:{} (log: {})", livyPort, server.log());
            }
        });

        wiring.put("hubble.drivers.spark.livy.url", "http://127.0.0.1:" + port);
        wiring.put("hubble.drivers.spark.livy.jar", jar.toUri().toString());
        Map.<String, Object>of(
                "hubble.drivers.spark.enabled", "true",
                "hubble.drivers.spark.poll-initial", "500ms",
                "hubble.drivers.spark.poll-max", "5s",
                // Each Spark driver takes ~330 MB and a core: two at a time on a laptop.
                "hubble.drivers.spark.concurrency", "2",
                "hubble.drivers.spark.livy.api-url", apiUrl,
                // The driver stages jobs into file: locations only, until S3 has its LocationFiles.
                "hubble.drivers.spark.results", "local",
                "hubble.drivers.spark.livy.conf.spark.ui.enabled", "false")
                .forEach((key, value) -> {
                    if (!environment.containsProperty(key)) {
                        wiring.put(key, value);
                    }
                });
        return Optional.of(new LocalSpark(port, livy));
    }

    /** Where Livy listens, and whether it is up yet. */
    String describe() {
        String state = !livy.isDone() ? "starting" : livy.isCompletedExceptionally() ? "failed to start" : "ready";
        return "http://127.0.0.1:" + port + " (" + state + ")";
    }

    /** Stops Livy and the Spark drivers it runs, once it has finished starting. */
    void stop() {
        try {
            livy.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS).stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Livy was not running", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Livy", e);
        }
    }
}
