package dev.hubble.trinodev;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Trino 483 as a child process: one coordinator that is its own worker, with the {@code
 * tpch} and {@code memory} catalogs, listening on 127.0.0.1 (Trino's testing server binds
 * loopback only). It runs {@code TrinoDev.java} from the Trino home the build assembles
 * ({@code trino-dev/target/trino-home}: {@code lib/} and the launcher) on a Java 25 runtime, with
 * {@value #JVM_OPTIONS}; the project's own JVMs stay on Java 17.
 *
 * <p>The child stops when its standard input closes, so it never outlives the JVM that started
 * it, even one killed with {@code kill -9}.
 *
 * <p>Not thread-safe: one owner starts and stops it.
 */
public final class TrinoServerProcess implements AutoCloseable {

    /** System property naming the Trino home. */
    public static final String TRINO_HOME = "hubble.trino.home";
    /** System property, else environment variable {@code TRINO_JAVA_HOME}, naming the Java 25 home. */
    public static final String TRINO_JAVA = "hubble.trino.java-home";
    /** The JVM flags of the Trino process, beside the two modules options Trino needs. */
    public static final String JVM_OPTIONS = "-Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private static final Pattern READY = Pattern.compile("TRINO-DEV READY (\\S+) in (\\d+) ms");
    private static final int JAVA_FEATURE = 25;

    private final Path workDir;
    private final int port;
    private final Process process;
    private final OutputStream stdin;
    private final Duration readyAfter;

    private TrinoServerProcess(Path workDir, int port, Process process, Duration readyAfter) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.readyAfter = readyAfter;
    }

    /**
     * Why no Trino can be started here (no Java 25 runtime, no Trino home), in one sentence;
     * empty when one can.
     */
    public static Optional<String> unavailable() {
        try {
            javaHome();
            home();
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static TrinoServerProcess shared;

    /**
     * The one Trino of this JVM, started the first time it is asked for (in a temporary
     * directory) and stopped when the JVM exits: tests share it, and run their queries one at a
     * time.
     */
    public static synchronized TrinoServerProcess shared() {
        if (shared == null || !shared.process.isAlive()) {
            try {
                shared = start(Files.createTempDirectory("trino-dev-"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Trino's work directory", e);
            }
            TrinoServerProcess started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "trino-dev-stop"));
        }
        return shared;
    }

    /** Starts Trino on a free port and returns once it runs queries; work files go under {@code workDir}. */
    public static TrinoServerProcess start(Path workDir) {
        return start(workDir, 0, Duration.ofMinutes(3));
    }

    /**
     * Starts Trino on {@code port} (0: a free one) and returns once its catalogs are there.
     *
     * @throws IllegalStateException when there is no Java 25 or no Trino home, or Trino did not
     *     start within {@code startTimeout}; the message holds the tail of its log
     */
    public static TrinoServerProcess start(Path workDir, int port, Duration startTimeout) {
        Path java = javaHome().resolve("bin").resolve("java");
        Path home = home();
        int chosen = port != 0 ? port : freePort();
        try {
            Path dir = Files.createDirectories(workDir.toAbsolutePath().normalize());
            Path log = dir.resolve("trino.log");
            Files.deleteIfExists(log);
            List<String> command = new ArrayList<>(List.of(
                    java.toString(), "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
            command.addAll(List.of(JVM_OPTIONS.split(" ")));
            command.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
            command.addAll(List.of(
                    "-cp",
                    home.resolve("lib") + File.separator + "*",
                    home.resolve("TrinoDev.java").toString(),
                    Integer.toString(chosen)));
            long started = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("JAVA_HOME", javaHome().toString());
            Process process = builder.start();
            awaitReady(process, log, chosen, startTimeout);
            return new TrinoServerProcess(dir, chosen, process, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Trino in " + workDir, e);
        }
    }

    /** Trino's base URL, {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The port Trino listens on. */
    public int port() {
        return port;
    }

    /** How long Trino took from the start of its JVM until it ran queries. */
    public Duration readyAfter() {
        return readyAfter;
    }

    /** Trino's process. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Trino's log (its stdout and stderr). */
    public Path log() {
        return workDir.resolve("trino.log");
    }

    /** Trino's resident memory now, in bytes, from {@code /proc}; empty where that cannot be read. */
    public Optional<Long> residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).strip().split("\\s+")[0];
                    return Optional.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    /** Stops Trino; does nothing when it has stopped. */
    public void stop() {
        try {
            stdin.close();
        } catch (IOException e) {
            // the process is gone already
        }
        if (!awaitExit(process, Duration.ofSeconds(10))) {
            process.destroy();
            if (!awaitExit(process, Duration.ofSeconds(10))) {
                process.destroyForcibly();
                awaitExit(process, Duration.ofSeconds(10));
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The Java 25 (or newer) home: {@value #TRINO_JAVA}, else {@code TRINO_JAVA_HOME}, else the
     * newest such JDK under {@code /usr/lib/jvm}, else this JVM when it is one.
     */
    static Path javaHome() {
        String configured = System.getProperty(TRINO_JAVA);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("TRINO_JAVA_HOME");
        }
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            if (feature(home) < JAVA_FEATURE) {
                throw new IllegalStateException(home + " (" + TRINO_JAVA + " or TRINO_JAVA_HOME) is not a Java "
                        + JAVA_FEATURE + " or newer home, which Trino 483 needs");
            }
            return home;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                Optional<Path> newest = homes.filter(home -> !Files.isSymbolicLink(home))
                        .filter(home -> feature(home) >= JAVA_FEATURE)
                        .max(Comparator.comparingInt(TrinoServerProcess::feature));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                // fall through
            }
        }
        if (Runtime.version().feature() >= JAVA_FEATURE) {
            return Path.of(System.getProperty("java.home"));
        }
        throw new IllegalStateException("no Java " + JAVA_FEATURE + " runtime for Trino 483 (none under /usr/lib/jvm;"
                + " name one with -D" + TRINO_JAVA + "=... or TRINO_JAVA_HOME)");
    }

    /**
     * The Trino home: {@value #TRINO_HOME}, else {@code trino-dev/target/trino-home} above the
     * working directory or the jar this JVM runs.
     */
    static Path home() {
        String configured = System.getProperty(TRINO_HOME);
        Path home = null;
        if (configured != null && !configured.isBlank()) {
            home = Path.of(configured).toAbsolutePath().normalize();
        } else {
            List<Path> starts = new ArrayList<>();
            starts.add(Path.of("").toAbsolutePath());
            String classpath = System.getProperty("java.class.path", "");
            if (!classpath.isEmpty() && !classpath.contains(File.pathSeparator) && classpath.endsWith(".jar")) {
                starts.add(Path.of(classpath).toAbsolutePath().getParent());
            }
            search:
            for (Path start : starts) {
                for (Path dir = start; dir != null; dir = dir.getParent()) {
                    Path candidate = dir.resolve("trino-dev/target/trino-home");
                    if (Files.isDirectory(candidate)) {
                        home = candidate;
                        break search;
                    }
                }
            }
        }
        if (home == null
                || !Files.isRegularFile(home.resolve("TrinoDev.java"))
                || !Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("no Trino home (trino-dev/target/trino-home with lib/ and TrinoDev.java)"
                    + (home == null ? "" : " at " + home) + ": build it with ./mvnw -pl trino-dev install -DskipTests,"
                    + " or set the system property " + TRINO_HOME);
        }
        return home;
    }

    /** The Java feature version of a JDK home, from its {@code release} file; 0 when unknown. */
    static int feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String first = version.split("[.+-]")[0];
                    return Integer.parseInt(first);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static void awaitReady(Process process, Path log, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited with code " + process.exitValue()
                        + " while starting; its log:\n" + tail(log, 40));
            }
            if (readyLine(log).isPresent()) {
                // The launcher says the catalogs are there; the coordinator still may be "starting".
                try {
                    HttpResponse<String> info = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (info.statusCode() == 200 && info.body().contains("\"starting\":false")) {
                        return;
                    }
                } catch (IOException e) {
                    // not answering yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    throw new IllegalStateException("interrupted while waiting for Trino", e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for Trino", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Trino did not start within " + timeout + "; its log:\n" + tail(log, 40));
    }

    private static Optional<Matcher> readyLine(Path log) {
        try {
            Matcher ready = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return ready.find() ? Optional.of(ready) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for Trino", e);
        }
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of {@code file}, or an empty string. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "Trino on " + url() + " (pid " + process.pid() + ")";
    }
}
