package dev.hubble.dev;

import dev.hubble.core.security.JobTokenProperties;
import dev.hubble.core.startup.StartupException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Starts the servers the local stack needs before the application context is built, points the
 * application at them, and stops them when the context closes: the Temporal Java test server in
 * real time, Redis (the {@code redis-server} on the PATH when there is one, else the binary
 * bundled with embedded-redis), a single-node KRaft Kafka broker with Hubble's topics, and S3
 * (S3Proxy over {@code <data-dir>/s3}) with the results bucket. Every driver's result store is S3
 * unless {@code --hubble.dev.results=local} keeps results in {@code <data-dir>/results}, served
 * by the API.
 *
 * <p>Every listener, the API's included, binds {@code hubble.dev.bind-address} (127.0.0.1 by
 * default), so nothing of the stack, which has no authentication, is reachable from the network
 * unless asked for. Servers added later take their address from {@link #bindAddress} too.
 *
 * <p>It also settles the API's port before the web server starts, so that
 * {@code hubble.api.public-url} (the base of the result links in status events) names the port the
 * API really listens on, even when {@code server.port=0} asks for a free one.
 */
final class LocalInfrastructure implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    /** Partitions of each topic the local broker creates: more than one, as in production. */
    private static final int PARTITIONS = 3;

    /** The setting that chooses the address every listener binds. */
    static final String BIND_ADDRESS = "hubble.dev.bind-address";

    private TemporalTestServer temporal;
    /** The address every listener of the stack binds. */
    private InetAddress bindAddress;
    /** The host clients of the stack connect to: the bind address, or loopback when it is a wildcard. */
    private String connectHost;
    /** The host of the API's URLs (result links, the jobs' API URL): localhost when it listens there. */
    private String urlHost;

    private RedisServer redis;
    private int apiPort;
    private EmbeddedKafkaKraftBroker kafka;
    private int temporalPort;
    private int redisPort;
    private LocalSpark spark;
    private LocalTrino trino;
    private EmbeddedS3 s3;
    private String resultsWhere = "";
    private String redisWhere = "";

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared
                && prepared.getApplicationContext().getBeanFactory() instanceof DefaultSingletonBeanRegistry beans) {
            // Registered before any other bean, so destroyed after all of them: the servers stop
            // once the consumers, producers and workers that use them have stopped.
            beans.registerDisposableBean("hubbleLocalInfrastructure", this::stop);
            if (spark != null) {
                beans.registerSingleton("hubbleLocalSpark", spark);
            }
            if (trino != null) {
                beans.registerSingleton("hubbleLocalTrino", trino);
            }
        } else if (event instanceof ApplicationReadyEvent ready) {
            printWelcome(ready.getApplicationContext().getEnvironment());
        } else if (event instanceof ApplicationFailedEvent) {
            stop();
        }
    }

    private synchronized void start(ConfigurableEnvironment environment) {
        if (temporal != null) {
            return;
        }
        bindAddress = bindAddress(environment);
        connectHost = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : uriHost(bindAddress);
        urlHost = bindAddress.isAnyLocalAddress() || bindAddress.isLoopbackAddress() ? "localhost" : connectHost;
        apiPort = port(environment, "server.port", 8080);
        temporalPort = port(environment, "hubble.dev.temporal-port", 7233);
        boolean embeddedRedis = environment.getProperty("hubble.dev.embedded-redis", Boolean.class, true);
        redisPort = embeddedRedis
                ? port(environment, "hubble.dev.redis-port", 6379)
                : environment.getProperty("spring.data.redis.port", Integer.class, 6379);
        boolean embeddedKafka = environment.getProperty("hubble.dev.embedded-kafka", Boolean.class, true);
        int kafkaPort = embeddedKafka ? port(environment, "hubble.dev.kafka-port", 9092) : -1;
        Path dataDir = Path.of(environment.getProperty("hubble.dev.data-dir", "hubble-data"))
                .toAbsolutePath()
                .normalize();

        // Before anything starts, so that a second stack on the same ports, or a bad setting, fails
        // at once, naming the setting.
        checkTokenSecret(environment);
        ensureFree("the API", "server.port", apiPort);
        ensureFree("Temporal", "hubble.dev.temporal-port", temporalPort);
        if (embeddedRedis) {
            ensureFree("Redis", "hubble.dev.redis-port", redisPort);
        }
        if (embeddedKafka) {
            ensureFree("Kafka", "hubble.dev.kafka-port", kafkaPort);
        }
        Map<String, Object> wiring = new HashMap<>();
        boolean localResults = "local".equalsIgnoreCase(environment.getProperty("hubble.dev.results", "s3"));
        // The embedded S3's key pair, made now: Livy starts before S3 and hands it to its Spark drivers.
        Map.Entry<String, String> s3Keys = Map.entry("hubble-dev", randomSecret());
        // Livy first: it starts in the background, in parallel with everything below.
        spark = LocalSpark.start(
                        environment,
                        dataDir,
                        "http://" + connectHost + ":" + apiPort,
                        bindAddress,
                        localResults ? Optional.empty() : Optional.of(s3Keys),
                        wiring)
                .orElse(null);
        // Trino too, in parallel: its JVM takes several seconds to start.
        trino = LocalTrino.start(environment, dataDir, wiring).orElse(null);
        temporal = TemporalTestServer.start(bindAddress, temporalPort);
        if (embeddedRedis) {
            redis = startRedis(bindAddress, redisPort, dataDir);
            redisWhere = connectHost + ":" + redisPort;
        } else {
            redisWhere = environment.getProperty("spring.data.redis.host", "localhost") + ":" + redisPort
                    + " (not embedded)";
        }

        // The API's port is chosen here, not by the web server, so that jobs and links can be told it.
        wiring.put("server.port", apiPort);
        wiring.put("server.address", bindAddress.getHostAddress());
        if (environment.containsProperty("management.server.port")) {
            wiring.put("management.server.address", bindAddress.getHostAddress());
        }
        wiring.putIfAbsent("hubble.drivers.local-python.api-url", "http://" + urlHost + ":" + apiPort);
        wiring.put("hubble.temporal.target", connectHost + ":" + temporalPort);
        if (embeddedRedis) {
            wiring.put("spring.data.redis.host", connectHost);
            wiring.put("spring.data.redis.port", redisPort);
        }
        if (!environment.containsProperty("hubble.api.public-url")) {
            wiring.put("hubble.api.public-url", "http://" + urlHost + ":" + apiPort);
        }
        if (embeddedKafka) {
            kafka = startKafka(uriHost(bindAddress), connectHost, kafkaPort, topics(environment));
            wiring.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
        }
        wiring.put("hubble.dev.data-dir", dataDir.toString());
        if (!environment.containsProperty("hubble.results.local.dir")) {
            wiring.put("hubble.results.local.dir", dataDir.resolve("results").toString());
        }
        if (!environment.containsProperty("hubble.results.local.signing-key")) {
            // A fresh key per start: links from an earlier run stop working, which is fine locally.
            wiring.put("hubble.results.local.signing-key", randomSecret());
        }
        wiring.putIfAbsent("hubble.results.work-dir", dataDir.resolve("work").toString());
        if (localResults) {
            wiring.put("hubble.results.store", "local");
            resultsWhere = dataDir.resolve("results") + " (links served by the API)";
        } else {
            startS3(environment, dataDir, s3Keys, wiring);
        }
        if (!environment.containsProperty("hubble.jobs.token-secret")) {
            wiring.put("hubble.jobs.token-secret", randomSecret());
        }
        PythonJobs.locate(environment, dataDir).forEach(wiring::putIfAbsent);
        environment.getPropertySources().addFirst(new MapPropertySource("hubbleLocalInfrastructure", wiring));
        log.info(
                "Temporal test server listens on {}:{}, Redis on {}, Kafka on {}",
                uriHost(bindAddress),
                temporalPort,
                redisWhere,
                kafka == null
                        ? environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092")
                                + " (not embedded)"
                        : kafka.getBrokersAsString());
    }

    /**
     * Starts the embedded S3 and makes it every driver's result store, with a key pair of its
     * own: the links it hands out are real presigned S3 URLs that plain {@code curl} downloads.
     */
    private void startS3(
            ConfigurableEnvironment environment,
            Path dataDir,
            Map.Entry<String, String> keys,
            Map<String, Object> wiring) {
        int s3Port = port(environment, "hubble.dev.s3-port", 9000);
        String bucket = environment.getProperty("hubble.results.s3.bucket", "hubble-results");
        String accessKey = keys.getKey();
        String secretKey = keys.getValue();
        s3 = EmbeddedS3.start(
                uriHost(bindAddress), connectHost, s3Port, dataDir.resolve("s3"), bucket, accessKey, secretKey);
        if (!environment.containsProperty("hubble.results.store")) {
            wiring.put("hubble.results.store", "s3");
        }
        wiring.put("hubble.results.s3.bucket", bucket);
        wiring.put("hubble.results.s3.endpoint", s3.endpoint().toString());
        wiring.put("hubble.results.s3.region", "us-east-1");
        wiring.put("hubble.results.s3.path-style-access", "true");
        wiring.put("hubble.results.s3.access-key-id", accessKey);
        wiring.put("hubble.results.s3.secret-access-key", secretKey);
        wiring.put("hubble.dev.s3-endpoint", s3.endpoint().toString());
        if (spark != null) {
            LocalSpark.useS3(environment, s3.endpoint(), "us-east-1", wiring);
        }
        resultsWhere = "S3 " + s3.endpoint() + ", bucket " + bucket + " (objects under " + dataDir.resolve("s3") + ")";
    }

    /** The topics Hubble uses, by the names the application is configured with. */
    private static String[] topics(ConfigurableEnvironment environment) {
        return new String[] {
            environment.getProperty("hubble.events.status-topic", "hubble.job-status"),
            environment.getProperty("hubble.commands.topic", "hubble.job-commands"),
            environment.getProperty("hubble.commands.dlq-topic", "hubble.job-commands.dlq")
        };
    }

    /**
     * A single-node KRaft broker (combined broker and controller) listening on {@code host:port},
     * telling clients to connect to {@code advertisedHost:port}; its controller listens on a free
     * loopback port. Its log lives in a temporary directory:
     * events and commands are gone after a restart.
     */
    private static EmbeddedKafkaKraftBroker startKafka(String host, String advertisedHost, int port, String... topics) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, topics);
        // The test kit binds every listener to a free port; the external one gets the port asked for.
        broker.brokerProperty("listeners", "EXTERNAL://" + host + ":" + port + ",CONTROLLER://127.0.0.1:0");
        broker.brokerProperty("advertised.listeners", "EXTERNAL://" + advertisedHost + ":" + port);
        // The test kit deletes its directories itself when it stops. The JVM shutdown hooks it would
        // add to do the same run beside Spring's, deleting them under a broker still shutting down.
        Exit.setShutdownHookAdder((name, hook) -> {});
        try {
            broker.afterPropertiesSet();
        } finally {
            Exit.resetShutdownHookAdder();
        }
        return broker;
    }

    private static RedisServer startRedis(InetAddress address, int port, Path dataDir) {
        try {
            Path redisDir = Files.createDirectories(dataDir.resolve("redis"));
            ExecutableProvider executable = onPath("redis-server")
                    ? ExecutableProvider.newExecutableInPath("redis-server")
                    : ExecutableProvider.newJarResourceProvider();
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(executable)
                    .bind(address.getHostAddress())
                    .port(port)
                    .setting("dir " + redisDir)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis on port " + port, e);
        }
    }

    /**
     * A token secret given but unusable (blank, or too short) stops the stack before it starts any
     * server; none given, the stack makes one up. The value is never printed.
     */
    private static void checkTokenSecret(ConfigurableEnvironment environment) {
        String setting = "hubble.jobs.token-secret";
        String secret = environment.getProperty(setting);
        if (secret != null && (secret.isBlank() || secret.length() < JobTokenProperties.MIN_SECRET_LENGTH)) {
            throw new StartupException(
                    setting + (secret.isBlank() ? " is empty." : " is too short."),
                    setting,
                    "to a secret of at least " + JobTokenProperties.MIN_SECRET_LENGTH
                            + " characters, or leave it out and the local stack makes one up",
                    null);
        }
    }

    private static String randomSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private synchronized void stop() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        if (trino != null) {
            trino.stop();
            trino = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        if (kafka != null) {
            kafka.destroy();
            kafka = null;
        }
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException e) {
                log.warn("Redis did not stop cleanly", e);
            }
            redis = null;
        }
        if (temporal != null) {
            temporal.close();
            temporal = null;
        }
    }

    private void printWelcome(ConfigurableEnvironment environment) {
        String api = "http://" + urlHost + ":" + apiPort;
        String brokers = environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092");
        String statusTopic = environment.getProperty("hubble.events.status-topic", "hubble.job-status");
        String commandTopic = environment.getProperty("hubble.commands.topic", "hubble.job-commands");
        String dlqTopic = environment.getProperty("hubble.commands.dlq-topic", "hubble.job-commands.dlq");
        log.info(
                """

                Hubble is ready.
                  API          {}   (OpenAPI: {}/swagger-ui.html)
                  Temporal     {}:{}   (test server, namespace default)
                  Redis        {}
                  Kafka        {}   (topics {}, {}, {})
                  Results      {}
                  Python jobs  {}
                  Livy         {}
                  Trino        {}
                Submit a job:
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "select 42 as answer", "driver": "duckdb", "format": "csv", "source": "me"}'
                Or a Spark SQL job (through Livy, a few seconds more):
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "select 42 as answer", "driver": "spark", "source": "me"}'
                Or a Trino SQL job (TPC-H in the tpch catalog, schema tiny by default):
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "select name, regionkey from nation", "driver": "trino", "source": "me"}'
                Or a Python job (see the jobs directory above):
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "hello", "driver": "local-python", "source": "me"}'
                Then ask for it by the jobId it returns, and download its result through the link:
                  curl -s {}/v1/jobs/<jobId>
                  curl -o result.csv '<result.files[0].url>'
                Or follow every job's status events:
                  kcat -b {} -t {} -C -f '%k %h\\n%s\\n\\n'
                """,
                api,
                api,
                connectHost,
                temporalPort,
                redisWhere,
                brokers,
                statusTopic,
                commandTopic,
                dlqTopic,
                resultsWhere,
                environment.getProperty("hubble.drivers.local-python.jobs-dir"),
                spark == null ? "off (--hubble.dev.spark=false, or not built)" : spark.describe(),
                trino == null ? "off (--hubble.dev.trino=false, no Java 25, or not built)" : trino.describe(),
                api,
                api,
                api,
                api,
                api,
                brokers,
                statusTopic);
    }

    /**
     * {@value #BIND_ADDRESS}: an IP address or a host name, 127.0.0.1 when unset. A name is resolved
     * once, here, so every listener binds the same address.
     */
    private static InetAddress bindAddress(ConfigurableEnvironment environment) {
        String value = environment.getProperty(BIND_ADDRESS, "127.0.0.1").strip();
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new StartupException(
                    BIND_ADDRESS + " names no known host: " + value + ".",
                    BIND_ADDRESS,
                    "to an address of this machine (127.0.0.1 by default)",
                    e);
        }
    }

    /**
     * Fails with the setting to change when {@code port} cannot be listened on at the bind
     * address: in use, or the address is not one of this machine's.
     */
    private void ensureFree(String what, String setting, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port));
        } catch (BindException e) {
            String where = uriHost(bindAddress) + ":" + port;
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new StartupException(
                        what + " cannot listen on " + where + ": the port is in use.",
                        setting,
                        "to a free port (0 picks one), or stop the process that listens on " + port,
                        e);
            }
            throw new StartupException(
                    what + " cannot listen on " + where + ": " + e.getMessage() + ".",
                    BIND_ADDRESS,
                    "to an address of this machine (127.0.0.1 by default)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + setting + " " + port, e);
        }
    }

    /** The address as it goes in a URL or a Kafka listener: IPv6 in brackets. */
    private static String uriHost(InetAddress address) {
        String host = address.getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static int port(ConfigurableEnvironment environment, String property, int fallback) {
        int port = environment.getProperty(property, Integer.class, fallback);
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for " + property, e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
