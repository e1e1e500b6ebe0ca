package dev.hubble.dev;

import dev.hubble.livydev.DevHomes;
import dev.hubble.livydev.LivyServerProcess;
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
 * The local stack's Spark: a real Livy with local Spark as child processes (see
 * {@code livy-dev/README.md}), started in the background while the rest of the stack starts, and
 * the {@code spark} driver pointed at it. Livy listens on the stack's bind address
 * ({@code --hubble.dev.bind-address}, 127.0.0.1 by default). A Spark job submitted before Livy
 * answers waits in its submit's retries.
 *
 * <p>Spark jobs write where the stack keeps results: into the embedded S3 through s3a (its
 * endpoint and path-style access in each batch's Spark conf; its key pair in Livy's environment,
 * which the Spark drivers inherit and s3a reads, so no secret is in Spark conf, Livy's log or the
 * Spark UI), or into the local result directory with {@code --hubble.dev.results=local}.
 *
 * <p>{@code --hubble.dev.spark=false} leaves it out, and so does a build without the Livy and
 * Spark homes (then a warning says how to build them). {@code --hubble.dev.livy-port} (default:
 * a free port) is Livy's port. A {@code hubble.drivers.spark.livy.url} given on the command line
 * wins over Livy's own, e.g. to put something between the driver and Livy.
 */
final class LocalSpark {

    private static final Logger log = LoggerFactory.getLogger(LocalSpark.class);
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);
    private static final String CONF = "hubble.drivers.spark.livy.conf.";

    private final URI url;
    private final CompletableFuture<LivyServerProcess> livy;

    private LocalSpark(URI url, CompletableFuture<LivyServerProcess> livy) {
        this.url = url;
        this.livy = livy;
    }

    /**
     * Starts Livy in the background on {@code bindAddress}, its Spark drivers holding the S3 key
     * pair {@code s3Credentials} (empty when results are local), and adds the spark driver's
     * settings to {@code wiring}; empty when Spark is off.
     */
    static Optional<LocalSpark> start(
            ConfigurableEnvironment environment,
            Path dataDir,
            String apiUrl,
            InetAddress bindAddress,
            Optional<Map.Entry<String, String>> s3Credentials,
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
            port = freePort(bindAddress);
        }
        LivyServerProcess.Builder builder = LivyServerProcess.builder()
                .livyHome(livyHome)
                .sparkHome(sparkHome)
                .workDir(dataDir.resolve("livy"))
                .allowLocalDir(jar.getParent())
                .host(bindAddress)
                .port(port);
        s3Credentials.ifPresent(keys -> builder.environment("AWS_ACCESS_KEY_ID", keys.getKey())
                .environment("AWS_SECRET_ACCESS_KEY", keys.getValue()));
        CompletableFuture<LivyServerProcess> livy = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        livy.complete(builder.start());
                    } catch (RuntimeException e) {
                        livy.completeExceptionally(e);
                    }
                },
                "livy-starter");
        starter.setDaemon(true);
        starter.start();
        String host = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : bindAddress.getHostAddress();
        URI url = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
        livy.whenComplete((server, failure) -> {
            if (failure != null) {
                log.error("Livy did not start, Spark jobs will fail to submit: {}", failure.getMessage());
            } else {
                log.info("Livy answers on {} (log: {})", server.url(), server.log());
            }
        });

        Map.<String, Object>of(
                        "hubble.drivers.spark.livy.url",
                        url.toString(),
                        "hubble.drivers.spark.livy.jar",
                        jar.toUri().toString(),
                        "hubble.drivers.spark.enabled",
                        "true",
                        "hubble.drivers.spark.poll-initial",
                        "500ms",
                        "hubble.drivers.spark.poll-max",
                        "5s",
                        // Each Spark driver takes ~330 MB and a core: two at a time on a laptop.
                        "hubble.drivers.spark.concurrency",
                        "2",
                        "hubble.drivers.spark.livy.api-url",
                        apiUrl,
                        CONF + "spark.ui.enabled",
                        "false")
                .forEach((key, value) -> putUnlessSet(environment, wiring, key, value));
        return Optional.of(new LocalSpark(url, livy));
    }

    /**
     * Points Spark's s3a at the embedded S3 at {@code endpoint}: path-style access, plain HTTP,
     * and the key pair from the environment Livy was started with.
     *
     * <p>The embedded S3 keeps objects as files and folders ({@code filesystem-nio2}), and cannot
     * delete a "folder" object that still holds others: s3a then retries for minutes and fails
     * the write. So s3a keeps its directory markers, and Hadoop's file committer renames each file
     * once into place (algorithm 2) and leaves its empty {@code _temporary/} folder behind (not a
     * result: its name starts with {@code _}). On EMR none of this applies.
     */
    static void useS3(ConfigurableEnvironment environment, URI endpoint, String region, Map<String, Object> wiring) {
        Map.<String, Object>of(
                        CONF + "spark.hadoop.fs.s3a.endpoint", endpoint.toString(),
                        CONF + "spark.hadoop.fs.s3a.endpoint.region", region,
                        CONF + "spark.hadoop.fs.s3a.path.style.access", "true",
                        CONF + "spark.hadoop.fs.s3a.connection.ssl.enabled",
                                String.valueOf("https".equals(endpoint.getScheme())),
                        CONF + "spark.hadoop.fs.s3a.aws.credentials.provider",
                                "com.amazonaws.auth.EnvironmentVariableCredentialsProvider",
                        CONF + "spark.hadoop.fs.s3a.directory.marker.retention", "keep",
                        CONF + "spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "2",
                        CONF + "spark.hadoop.mapreduce.fileoutputcommitter.cleanup.skipped", "true")
                .forEach((key, value) -> putUnlessSet(environment, wiring, key, value));
    }

    /** Where the stack's Livy listens, and whether it is up yet. */
    String describe() {
        String state = !livy.isDone() ? "starting" : livy.isCompletedExceptionally() ? "failed to start" : "ready";
        return url + " (" + state + ")";
    }

    /** The stack's Livy, once it answers; waits at most {@code atMost} for it. */
    LivyServerProcess livy(Duration atMost) {
        try {
            return livy.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Livy", e);
        } catch (Exception e) {
            throw new IllegalStateException("Livy is not up: " + e.getMessage(), e);
        }
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

    private static void putUnlessSet(
            ConfigurableEnvironment environment, Map<String, Object> wiring, String key, Object value) {
        if (!environment.containsProperty(key)) {
            wiring.put(key, value);
        }
    }

    private static int freePort(InetAddress bindAddress) {
        try (ServerSocket socket = new ServerSocket(0, 1, bindAddress)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Livy", e);
        }
    }
}
