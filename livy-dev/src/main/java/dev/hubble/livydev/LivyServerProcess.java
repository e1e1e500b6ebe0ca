package dev.hubble.livydev;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Apache Livy server as a child process, bound to 127.0.0.1 unless told another address,
 * that runs batches on local Spark ({@code local[2]}, client deploy mode: each batch's driver is a
 * child process of Livy).
 *
 * <p>Livy reads its settings only from {@code livy.conf} in {@code LIVY_CONF_DIR}, so each
 * instance writes its own under its work directory; Spark gets an empty {@code SPARK_CONF_DIR}
 * and the driver JVM flags in {@code SPARK_SUBMIT_OPTS} (by default the fast-start ones:
 * C1 only and the serial collector, which roughly halve a small batch on a busy machine).
 * Recovery is off: a restarted Livy has forgotten every batch, and numbers new ones from 0.
 *
 * <p>Not thread-safe: one owner starts, restarts and stops it.
 */
public final class LivyServerProcess implements AutoCloseable {

    /** The JVM flags of each Spark driver unless told otherwise. */
    public static final String FAST_DRIVER_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private static final int START_ATTEMPTS = 3;

    private final Builder settings;
    private final Path workDir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    private Process process;

    private LivyServerProcess(Builder settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    /** Settings for a new server. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URL of Livy's REST API, e.g. {@code http://127.0.0.1:41234}: its bind address, or
     * loopback when it listens on every interface.
     */
    public URI url() {
        InetAddress host = settings.host.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : settings.host;
        String address = host.getHostAddress();
        return URI.create("http://" + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port);
    }

    /** The port Livy listens on; the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** Livy's process, while it runs. */
    public ProcessHandle process() {
        if (process == null) {
            throw new IllegalStateException("Livy is not running");
        }
        return process.toHandle();
    }

    /** The Spark driver processes Livy runs now (each batch's spark-submit JVM). */
    public List<ProcessHandle> drivers() {
        if (process == null) {
            return List.of();
        }
        return process.descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    /** Livy's own log (stdout and stderr), kept across restarts. */
    public Path log() {
        return workDir.resolve("livy.log");
    }

    /** The directory holding this instance's configuration and log. */
    public Path workDir() {
        return workDir;
    }

    /**
     * Stops Livy and every Spark driver it runs, as a lost Livy host would take them, then starts
     * it again on the same port. The new Livy knows no batch.
     */
    public void restart() {
        stop();
        start();
    }

    /**
     * Kills Livy and every Spark driver it runs at once ({@code SIGKILL}: no shutdown hook runs, so
     * a driver leaves no outcome file, as when their host is lost), then starts Livy again on the
     * same port. The new Livy knows no batch.
     */
    public void crashAndRestart() {
        if (process != null) {
            List<ProcessHandle> all = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                    .collect(Collectors.toList());
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(handle -> awaitExit(handle, Duration.ofSeconds(15)));
            process = null;
        }
        start();
    }

    /** Stops Livy and every Spark driver it runs; does nothing when it is not running. */
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        awaitExit(process.toHandle(), Duration.ofSeconds(15));
        Stream.concat(Stream.of(process.toHandle()), children.stream()).forEach(handle -> {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        });
        children.forEach(child -> awaitExit(child, Duration.ofSeconds(15)));
        awaitExit(process.toHandle(), Duration.ofSeconds(15));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void start() {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            if (port == 0 || attempt > 1 && settings.port == 0) {
                port = freePort(settings.host);
            }
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                // Most likely the port was taken between choosing it and Livy binding it.
                failure = e;
                stop();
            }
        }
        throw failure;
    }

    private void launch() {
        try {
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Path sparkConf = Files.createDirectories(workDir.resolve("spark-conf"));
            Files.createDirectories(workDir.resolve("logs"));
            Files.writeString(conf.resolve("livy.conf"), livyConf());
            Files.writeString(conf.resolve("log4j.properties"), LOG4J);
            makeExecutable(settings.sparkHome.resolve("bin"));

            String classpath = settings.livyHome.resolve("jars") + "/*" + java.io.File.pathSeparator + conf;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    classpath,
                    "org.apache.livy.server.LivyServer"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            Map<String, String> env = builder.environment();
            env.keySet()
                    .removeIf(key -> key.startsWith("SPARK_")
                            || key.startsWith("LIVY_")
                            || key.startsWith("HADOOP_")
                            || key.equals("YARN_CONF_DIR"));
            env.put("LIVY_HOME", settings.livyHome.toString());
            env.put("LIVY_CONF_DIR", conf.toString());
            env.put("LIVY_LOG_DIR", workDir.resolve("logs").toString());
            env.put("SPARK_HOME", settings.sparkHome.toString());
            env.put("SPARK_CONF_DIR", sparkConf.toString());
            env.put("SPARK_LOCAL_IP", "127.0.0.1");
            env.put("SPARK_SUBMIT_OPTS", settings.driverJavaOptions);
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.putAll(settings.environment);
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Livy in " + workDir, e);
        }
        awaitAnswer();
    }

    private String livyConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("livy.server.host", settings.host.getHostAddress());
        conf.put("livy.server.port", Integer.toString(port));
        conf.put("livy.spark.master", settings.sparkMaster);
        conf.put("livy.spark.deploy-mode", "client");
        conf.put("livy.spark.scala-version", "2.12");
        conf.put(
                "livy.file.local-dir-whitelist",
                settings.localDirWhitelist.stream()
                        .map(path -> path.toAbsolutePath().normalize() + "/")
                        .collect(Collectors.joining(",")));
        conf.put("livy.server.session.state-retain.sec", settings.stateRetain.toSeconds() + "s");
        conf.put("livy.server.recovery.mode", "off");
        conf.put("livy.ui.enabled", "false");
        conf.putAll(settings.conf);
        return conf.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(url().resolve("/batches"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Livy exited with code " + process.exitValue()
                        + " while starting; its log:\n" + tail(log(), 30));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Livy", e);
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("Livy did not answer on " + url() + " within " + settings.startTimeout
                + "; its log:\n" + tail(log(), 30));
    }

    private static void makeExecutable(Path bin) throws IOException {
        if (!Files.isDirectory(bin)) {
            throw new IllegalStateException("no bin/ in the Spark home " + bin.getParent());
        }
        try (Stream<Path> scripts = Files.list(bin)) {
            scripts.forEach(script -> script.toFile().setExecutable(true, false));
        }
    }

    private static int freePort(InetAddress host) {
        try (ServerSocket socket = new ServerSocket(0, 1, host)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still alive: the caller decides
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last {@code lines} lines of {@code file}, or an empty string. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static final String LOG4J = String.join(
            "\n",
            "log4j.rootCategory=INFO, console",
            "log4j.appender.console=org.apache.log4j.ConsoleAppender",
            "log4j.appender.console.target=System.err",
            "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.console.layout.ConversionPattern=%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n",
            "log4j.logger.org.eclipse.jetty=WARN",
            "");

    /** Settings of a {@link LivyServerProcess}; {@link #start()} starts one. */
    public static final class Builder {

        private Path livyHome;
        private Path sparkHome;
        private Path workDir;
        private final List<Path> localDirWhitelist = new ArrayList<>();
        private String sparkMaster = "local[2]";
        private Duration stateRetain = Duration.ofMinutes(10);
        private String driverJavaOptions = FAST_DRIVER_OPTIONS;
        private Duration startTimeout = Duration.ofMinutes(2);
        private int port;
        private InetAddress host = InetAddress.getLoopbackAddress();
        private final Map<String, String> conf = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder() {}

        /** The Livy home; by default {@link DevHomes#livyHome()}. */
        public Builder livyHome(Path livyHome) {
            this.livyHome = livyHome;
            return this;
        }

        /** The Spark home; by default {@link DevHomes#sparkHome()}. */
        public Builder sparkHome(Path sparkHome) {
            this.sparkHome = sparkHome;
            return this;
        }

        /** Where configuration and the log go; by default a new temporary directory. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /**
         * A local directory whose files batches may name as their {@code file}; the directory of
         * the spark-job jar is always allowed.
         */
        public Builder allowLocalDir(Path dir) {
            localDirWhitelist.add(dir);
            return this;
        }

        /** Spark's master; {@code local[2]} by default. */
        public Builder sparkMaster(String sparkMaster) {
            this.sparkMaster = Objects.requireNonNull(sparkMaster);
            return this;
        }

        /** How long Livy remembers a finished batch; 10 minutes by default, as Livy's own. */
        public Builder stateRetain(Duration stateRetain) {
            this.stateRetain = Objects.requireNonNull(stateRetain);
            return this;
        }

        /** The Spark drivers' JVM flags; {@value LivyServerProcess#FAST_DRIVER_OPTIONS} by default. */
        public Builder driverJavaOptions(String driverJavaOptions) {
            this.driverJavaOptions = Objects.requireNonNull(driverJavaOptions);
            return this;
        }

        /** How long Livy may take to answer; 2 minutes by default. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /** The port; a free one by default. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The address Livy listens on; 127.0.0.1 by default. Spark's drivers keep to 127.0.0.1
         * ({@code SPARK_LOCAL_IP}) whatever this is: only Livy talks to them.
         */
        public Builder host(InetAddress host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /**
         * An environment variable of Livy, and so of every Spark driver it starts (e.g. the
         * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} that s3a reads): unlike Spark
         * conf, the environment is neither in Livy's log of the spark-submit command nor in the
         * Spark UI.
         */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Any other {@code livy.conf} setting. */
        public Builder conf(String key, String value) {
            conf.put(key, value);
            return this;
        }

        /** Starts Livy and returns once it answers on its REST API. */
        public LivyServerProcess start() {
            if (livyHome == null) {
                livyHome = DevHomes.livyHome();
            }
            if (sparkHome == null) {
                sparkHome = DevHomes.sparkHome();
            }
            livyHome = livyHome.toAbsolutePath().normalize();
            sparkHome = sparkHome.toAbsolutePath().normalize();
            try {
                localDirWhitelist.add(DevHomes.sparkJobJar().getParent());
            } catch (IllegalStateException e) {
                // not built: batches name their jar elsewhere
            }
            try {
                Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("livy-");
                LivyServerProcess livy =
                        new LivyServerProcess(this, dir.toAbsolutePath().normalize());
                livy.port = port;
                livy.start();
                return livy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Livy's work directory", e);
            }
        }
    }
}
