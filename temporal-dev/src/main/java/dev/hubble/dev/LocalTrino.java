package dev.hubble.dev;

import dev.hubble.trinodev.TrinoServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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
 * The local stack's Trino: a real Trino 483 with the {@code tpch} and {@code memory} catalogs as a
 * child process on the machine's Java 25 runtime (see {@code trino-dev/README.md}), started in
 * the background while the rest of the stack starts, and the {@code trino} driver pointed at it
 * (catalog {@code tpch}, schema {@code tiny} unless a job chooses others). A Trino job submitted
 * before Trino answers waits in its submit's retries.
 *
 * <p>{@code --hubble.dev.trino=false} leaves it out; so does a machine without a Java 25 runtime
 * or a build without the Trino home, and then one line says why. {@code --hubble.dev.trino-port}
 * (default: a free port) is Trino's port. Trino's testing server listens on 127.0.0.1 whatever
 * {@code --hubble.dev.bind-address} says: only the stack's workers talk to it. A {@code
 * hubble.drivers.trino.url} given on the command line wins over this Trino's.
 */
final class LocalTrino {

    private static final Logger log = LoggerFactory.getLogger(LocalTrino.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_WAIT = Duration.ofMinutes(3);

    private final URI url;
    private final CompletableFuture<TrinoServerProcess> trino;

    private LocalTrino(URI url, CompletableFuture<TrinoServerProcess> trino) {
        this.url = url;
        this.trino = trino;
    }

    /**
     * Starts Trino in the background under {@code dataDir/trino} and adds the trino driver's
     * settings to {@code wiring}; empty when Trino is off.
     */
    static Optional<LocalTrino> start(ConfigurableEnvironment environment, Path dataDir, Map<String, Object> wiring) {
        if (!environment.getProperty("hubble.dev.trino", Boolean.class, true)) {
            return Optional.empty();
        }
        Optional<String> unavailable = TrinoServerProcess.unavailable();
        if (unavailable.isPresent()) {
            log.warn("Trino jobs are off in this stack: {}", unavailable.get());
            return Optional.empty();
        }
        int port = environment.getProperty("hubble.dev.trino-port", Integer.class, 0);
        if (port == 0) {
            port = freePort();
        }
        int chosen = port;
        CompletableFuture<TrinoServerProcess> trino = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        trino.complete(TrinoServerProcess.start(dataDir.resolve("trino"), chosen, START_TIMEOUT));
                    } catch (RuntimeException e) {
                        trino.completeExceptionally(e);
                    }
                },
                "trino-starter");
        starter.setDaemon(true);
        starter.start();
        URI url = URI.create("http://127.0.0.1:" + port);
        trino.whenComplete((server, failure) -> {
            if (failure != null) {
                log.error("Trino did not start, Trino jobs will fail to submit: {}", failure.getMessage());
            } else {
                log.info(
                        "Trino answers on {} after {} ms, {} MB resident (log: {})",
                        server.url(),
                        server.readyAfter().toMillis(),
                        server.residentBytes().map(bytes -> bytes >> 20).orElse(-1L),
                        server.log());
            }
        });
        Map.<String, Object>of(
                        "hubble.drivers.trino.enabled", "true",
                        "hubble.drivers.trino.url", url.toString(),
                        "hubble.drivers.trino.catalog", "tpch",
                        "hubble.drivers.trino.schema", "tiny",
                        "hubble.drivers.trino.poll-initial", "200ms",
                        "hubble.drivers.trino.poll-max", "5s",
                        // A Trino that is still starting answers 503 or not at all: wait for it.
                        "hubble.drivers.trino.retry-for", "3m",
                        // One Trino on a laptop's cores: two queries at a time.
                        "hubble.drivers.trino.concurrency", "2")
                .forEach((key, value) -> {
                    if (!environment.containsProperty(key)) {
                        wiring.put(key, value);
                    }
                });
        return Optional.of(new LocalTrino(url, trino));
    }

    /** Where the stack's Trino listens, and whether it is up yet. */
    String describe() {
        String state = !trino.isDone() ? "starting" : trino.isCompletedExceptionally() ? "failed to start" : "ready";
        return url + " (" + state + ", catalogs tpch and memory)";
    }

    /** The stack's Trino, once it answers; waits at most {@code atMost} for it. */
    TrinoServerProcess trino(Duration atMost) {
        try {
            return trino.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Trino", e);
        } catch (Exception e) {
            throw new IllegalStateException("Trino is not up: " + e.getMessage(), e);
        }
    }

    /** Stops Trino, once it has finished starting. */
    void stop() {
        try {
            trino.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS).stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Trino was not running", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Trino", e);
        }
    }
}
