package dev.hubble.dev;

import io.temporal.testserver.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
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
 * bundled with embedded-redis), and a single-node KRaft Kafka broker with Hubble's topics.
 *
 * <p>It also settles the API's port before the web server starts, so that
 * {@code hubble.api.public-url} (the base of the result links in status events) names the port the
 * API really listens on, even when {@code server.port=0} asks for a free one.
 */
final class LocalInfrastructure implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    /** Partitions of each topic the local broker creates: more than one, as in production. */
    private static final int PARTITIONS = 3;

    private TestServer.PortBoundTestServer temporal;
    private RedisServer redis;
    private int apiPort;
    private EmbeddedKafkaKraftBroker kafka;
    private int temporalPort;
    private int redisPort;
    private LocalSpark spark;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared
                && prepared.getApplicationContext().getBeanFactory() instanceof DefaultSingletonBeanRegistry beans) {
            // Registered before any other bean, so destroyed after all of them: the servers stop
            // once the consumers, producers and workers that use them have stopped.
            beans.registerDisposableBean("hubbleLocalInfrastructure", this::stop);
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
        apiPort = port(environment, "server.port", 8080);
        temporalPort = port(environment, "hubble.dev.temporal-port", 7233);
        redisPort = port(environment, "hubble.dev.redis-port", 6379);
        boolean embeddedKafka = environment.getProperty("hubble.dev.embedded-kafka", Boolean.class, true);
        int kafkaPort = embeddedKafka ? port(environment, "hubble.dev.kafka-port", 9092) : -1;
        Path dataDir = Path.of(environment.getProperty("hubble.dev.data-dir", "hubble-data")).toAbsolutePath().normalize();

        Map<String, Object> wiring = new HashMap<>();
        // Livy first: it starts in the background, in parallel with everything below.
        spark = LocalSpark.start(environment, dataDir, apiPort, wiring).orElse(null);
        // lockTimeSkipping = true: the server keeps real time, as a real Temporal does.
        temporal = TestServer.createPortBoundServer(temporalPort, true);
        redis = startRedis(redisPort, dataDir);

        // The API's port is chosen here, not by the web server, so that jobs and links can be told it.
        wiring.put("server.port", apiPort);
        wiring.putIfAbsent("hubble.drivers.local-python.api-url", "http://localhost:" + apiPort);
        wiring.put("hubble.temporal.target", "127.0.0.1:" + temporalPort);
        wiring.put("spring.data.redis.host", "127.0.0.1");
        wiring.put("spring.data.redis.port", redisPort);
        if (!environment.containsProperty("hubble.api.public-url")) {
            wiring.put("hubble.api.public-url", "http://localhost:" + apiPort);
        }
        if (embeddedKafka) {
            kafka = startKafka(kafkaPort, topics(environment));
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
        if (!environment.containsProperty("hubble.jobs.token-secret")) {
            wiring.put("hubble.jobs.token-secret", randomSecret());
        }
        PythonJobs.locate(environment, dataDir).forEach(wiring::putIfAbsent);
        environment.getPropertySources().addFirst(new MapPropertySource("hubbleLocalInfrastructure", wiring));
        log.info("Temporal test server listens on 127.0.0.1:{}, Redis on 127.0.0.1:{}, Kafka on {}", temporalPort, redisPort,
                kafka == null ? environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092") + " (not embedded)"
                        : kafka.getBrokersAsString());
    }

    /** The topics Hubble uses, by the names the application is configured with. */
    private static String[] topics(ConfigurableEnvironment environment) {
        return new String[] {
                environment.getProperty("hubble.events.status-topic", "hubble.job-status"),
                environment.getProperty("hubble.commands.topic", "hubble.job-commands"),
                environment.getProperty("hubble.commands.dlq-topic", "hubble.job-commands.dlq")};
    }

    /**
     * A single-node KRaft broker (combined broker and controller) listening on 127.0.0.1:{@code port}.
     * Its log lives in a temporary directory: events and commands are gone after a restart.
     */
    private static EmbeddedKafkaKraftBroker startKafka(int port, String... topics) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, topics);
        // The test kit binds every listener to a free port; the external one gets the port asked for.
        broker.brokerProperty("listeners", "EXTERNAL://127.0.0.1:" + port + ",CONTROLLER://localhost:0");
        // The test kit deletes its directories itself when it stops. The JVM shutdown hooks it would
        // add to do the same run beside Spring's, deleting them under a broker still shutting down.
        Exit.setShutdownHookAdder((name, hook) -> {
        });
        try {
            broker.afterPropertiesSet();
        } finally {
            Exit.resetShutdownHookAdder();
        }
        return broker;
    }

    private static RedisServer startRedis(int port, Path dataDir) {
        try {
            Path redisDir = Files.createDirectories(dataDir.resolve("redis"));
            ExecutableProvider executable = onPath("redis-server") ? ExecutableProvider.newExecutableInPath("redis-server")
                    : ExecutableProvider.newJarResourceProvider();
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(executable)
                    .bind("127.0.0.1")
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
        String api = "http://localhost:" + apiPort;
        String brokers = environment.getProperty("spring.kafka.bootstrap-servers", "localhost:9092");
        String statusTopic = environment.getProperty("hubble.events.status-topic", "hubble.job-status");
        String commandTopic = environment.getProperty("hubble.commands.topic", "hubble.job-commands");
        String dlqTopic = environment.getProperty("hubble.commands.dlq-topic", "hubble.job-commands.dlq");
        log.info("""

                Hubble is ready.
                  API          {}   (OpenAPI: {}/swagger-ui.html)
                  Temporal     127.0.0.1:{}   (test server, namespace default)
                  Redis        127.0.0.1:{}
                  Kafka        {}   (topics {}, {}, {})
                  Results      {}
                  Python jobs  {}
                  Livy         {}
                Submit a job:
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "select 42 as answer", "driver": "duckdb", "format": "csv", "source": "me"}'
                Or a Spark SQL job (through Livy, a few seconds more):
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "select 42 as answer", "driver": "spark", "source": "me"}'
                Or a Python job (see the jobs directory above):
                  curl -s -X POST {}/v1/jobs -H 'Content-Type: application/json' \\
                       -d '{"query": "hello", "driver": "local-python", "source": "me"}'
                Then ask for it by the jobId it returns:
                  curl -s {}/v1/jobs/<jobId>
                Or follow every job's status events:
                  kcat -b {} -t {} -C -f '%k %h\\n%s\\n\\n'
                """, api, api, temporalPort, redisPort, brokers, statusTopic, commandTopic, dlqTopic,
                environment.getProperty("hubble.results.local.dir"),
                environment.getProperty("hubble.drivers.local-python.jobs-dir"),
                spark == null ? "off (--hubble.dev.spark=false, or not built)" : spark.describe(),
                api, api, api, api, brokers, statusTopic);
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
