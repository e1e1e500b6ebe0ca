package dev.hubble.dev;

import dev.hubble.api.HubbleApiApplication;
import dev.hubble.worker.HubbleWorkerApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The whole of Hubble in one JVM, for a laptop and for tests: an embedded Temporal test server
 * (real time), Redis, a KRaft Kafka broker, the API (with the Kafka command consumer) and a worker
 * pool for every enabled driver, and, as child processes, a Livy with local Spark for the
 * {@code spark} driver ({@code --hubble.dev.spark=false} leaves it out).
 *
 * <p>Ports: {@code --server.port} (API, 8080), {@code --hubble.dev.temporal-port} (7233),
 * {@code --hubble.dev.redis-port} (6379), {@code --hubble.dev.kafka-port} (9092); 0 picks a free
 * one. {@code --hubble.dev.embedded-kafka=false} starts no broker and uses
 * {@code spring.kafka.bootstrap-servers} instead. Data (result files) goes under
 * {@code --hubble.dev.data-dir} ({@code ./hubble-data}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({HubbleApiApplication.class, HubbleWorkerApplication.class})
public class HubbleDev {

    public static void main(String[] args) {
        start(args);
    }

    /** Starts the local stack; closing the returned context stops all of it. */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication application = new SpringApplication(HubbleDev.class);
        application.addListeners(new LocalInfrastructure());
        return application.run(args);
    }
}
