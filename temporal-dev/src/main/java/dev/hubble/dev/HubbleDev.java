package dev.hubble.dev;

import dev.hubble.api.HubbleApiApplication;
import dev.hubble.core.startup.Startup;
import dev.hubble.worker.HubbleWorkerApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The whole of Hubble in one JVM, for a laptop and for tests: an embedded Temporal test server
 * (real time), Redis, a KRaft Kafka broker, S3 (S3Proxy), the API (with the Kafka command
 * consumer) and a worker pool for every enabled driver, and, as child processes, a Livy with
 * local Spark for the {@code spark} driver ({@code --hubble.dev.spark=false} leaves it out) and a
 * Trino 483 on the machine's Java 25 for the {@code trino} driver ({@code --hubble.dev.trino=false}
 * leaves it out; without a Java 25 it is left out, saying so).
 *
 * <p>Ports: {@code --server.port} (API, 8080), {@code --hubble.dev.temporal-port} (7233),
 * {@code --hubble.dev.redis-port} (6379), {@code --hubble.dev.kafka-port} (9092),
 * {@code --hubble.dev.s3-port} (9000); 0 picks a free one. {@code --hubble.dev.embedded-kafka=false}
 * starts no broker and uses {@code spring.kafka.bootstrap-servers} instead;
 * {@code --hubble.dev.embedded-redis=false} starts no Redis and uses {@code spring.data.redis.*}. Result files go to the
 * embedded S3 and its links are presigned S3 URLs; {@code --hubble.dev.results=local} keeps them
 * in a local directory behind links the API serves. Data goes under {@code --hubble.dev.data-dir}
 * ({@code ./hubble-data}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({HubbleApiApplication.class, HubbleWorkerApplication.class})
public class HubbleDev {

    /** Starts the local stack, or exits with status 1 and says why when it cannot. */
    public static void main(String[] args) {
        Startup.runOrExit(application(), args);
    }

    /** Starts the local stack; closing the returned context stops all of it. */
    public static ConfigurableApplicationContext start(String... args) {
        return application().run(args);
    }

    private static SpringApplication application() {
        SpringApplication application = new SpringApplication(HubbleDev.class);
        application.addListeners(new LocalInfrastructure());
        return application;
    }
}
