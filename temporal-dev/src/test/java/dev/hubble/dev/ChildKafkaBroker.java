package dev.hubble.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker ({@code kafka.Kafka}) in a child JVM, on a fixed port,
 * with its log in a fixed directory: it can be stopped (the process ends) and started again with
 * everything it had, which an in-process embedded broker cannot do.
 */
final class ChildKafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Path config;
    private final Path argFile;
    private Process process;

    private ChildKafkaBroker(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        int controllerPort = freePort();
        this.config = dir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "inter.broker.listener.name=PLAINTEXT",
                        "controller.listener.names=CONTROLLER",
                        "log.dirs=" + dir.resolve("log"),
                        "num.partitions=3",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""));
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        // The test class path (kafka_2.13 and its dependencies are on it), in an argument file:
        // too long for one command-line argument on some systems.
        this.argFile = dir.resolve("java.args");
        Files.writeString(
                argFile,
                "-cp \"" + System.getProperty("java.class.path") + "\"\n" + "-Xmx512m\n-Dlogback.configurationFile="
                        + logback + "\n");
    }

    /** Formats a fresh log directory and starts the broker on it. */
    static ChildKafkaBroker start(Path dir) {
        try {
            ChildKafkaBroker broker = new ChildKafkaBroker(dir);
            Process format = broker.run(
                    "storage",
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    Uuid.randomUuid().toString(),
                    "-c",
                    broker.config.toString());
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException(
                        "formatting the broker's log failed; see " + dir.resolve("storage.log"));
            }
            broker.startAgain();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker on the log it had, and waits until it answers. */
    void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        process = run("broker", "kafka.Kafka", config.toString());
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the broker did not start; see " + dir.resolve("broker.log"), notYet);
                    }
                }
            }
        }
    }

    /** Stops the broker the way an operator would (SIGTERM), and waits until the process is gone. */
    void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.terminate(process, Duration.ofSeconds(30));
        process = null;
    }

    void createTopics(String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, 3, (short) 1));
        }
        try (Admin admin = admin()) {
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + newTopics, e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5_000));
    }

    private Process run(String name, String mainClass, String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile, mainClass));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve(name + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
