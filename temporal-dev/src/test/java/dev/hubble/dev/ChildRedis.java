package dev.hubble.dev;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} (the binary embedded-redis ships) as a child process on a fixed
 * port, with a password and an append-only file in a fixed directory: it can be stopped the way an
 * operator stops it (SIGTERM: Redis flushes its AOF and exits) and started again on the same port
 * with everything it had, as a production Redis restarted by its operator comes back with its
 * data. The password lives in the configuration file, never on a command line.
 */
final class ChildRedis implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String password;
    private final Path config;
    private final File executable;
    private Process process;

    private ChildRedis(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.password = HexFormat.of().formatHex(secret);
        this.config = dir.resolve("redis.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "bind 127.0.0.1",
                        "port " + port,
                        "dir " + dir,
                        "logfile " + dir.resolve("redis.log"),
                        "requirepass " + password,
                        "save \"\"",
                        // Every write reaches the file before it is acknowledged: a stop loses nothing.
                        "appendonly yes",
                        "appendfsync always",
                        ""));
        this.executable = ExecutableProvider.newJarResourceProvider().get();
    }

    /** Starts a Redis with an empty data directory. */
    static ChildRedis start(Path dir) {
        try {
            ChildRedis redis = new ChildRedis(dir);
            redis.startAgain();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String password() {
        return password;
    }

    /** The local stack's settings that point it at this Redis instead of its own. */
    List<String> stackArgs() {
        return List.of(
                "--hubble.dev.embedded-redis=false",
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + port,
                "--spring.data.redis.password=" + password);
    }

    /** Starts Redis on its data directory, and waits until it answers. */
    void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Redis is running");
        }
        try {
            process = new ProcessBuilder(executable.getAbsolutePath(), config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not start; see " + dir.resolve("redis.log"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops Redis the way an operator would (SIGTERM), and waits until the process is gone. */
    void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.terminate(process, Duration.ofSeconds(30));
        process = null;
    }

    /** Whether Redis takes the password and answers PING (loading the AOF, it answers LOADING). */
    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String replies = new String(in.readNBytes("+OK\r\n+PONG\r\n".length()), StandardCharsets.US_ASCII);
            return replies.equals("+OK\r\n+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
