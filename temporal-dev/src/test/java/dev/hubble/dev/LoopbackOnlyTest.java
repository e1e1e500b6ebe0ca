package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.Environment;

/**
 * The local stack has no authentication, so it listens on the loopback interface only, unless
 * {@code hubble.dev.bind-address} says otherwise: every listening socket the stack opens (in
 * this JVM, or in a process it started: Redis, Livy and its Spark drivers) is looked up in
 * {@code /proc}.
 */
class LoopbackOnlyTest {

    @BeforeAll
    static void linux() {
        assumeTrue(ListeningSockets.supported(), "needs /proc/net/tcp");
    }

    @Test
    void everyListenerOfTheStackBindsLoopbackByDefault(@TempDir Path dataDir) {
        Set<ListeningSockets.Listener> before = ListeningSockets.ofThisJvmAndItsChildren();
        try (LocalStack stack = LocalStack.start(dataDir, "--hubble.dev.spark=true")) {
            awaitLivy(stack);
            Set<ListeningSockets.Listener> opened = opened(before);

            assertThat(opened.stream().map(ListeningSockets.Listener::port).collect(Collectors.toSet()))
                    .as("the stack's listeners, found in /proc: %s", opened)
                    .containsAll(ports(stack.context.getEnvironment()));
            assertThat(opened)
                    .as("listeners of the stack")
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l.address().isLoopbackAddress())
                            .as("%s is loopback", l)
                            .isTrue());
        }
    }

    @Test
    void theBindAddressSettingOpensTheStackDeliberately(@TempDir Path dataDir) {
        Set<ListeningSockets.Listener> before = ListeningSockets.ofThisJvmAndItsChildren();
        try (LocalStack stack =
                LocalStack.start(dataDir, "--hubble.dev.bind-address=0.0.0.0", "--hubble.dev.spark=true")) {
            awaitLivy(stack);
            Set<Integer> ports = ports(stack.context.getEnvironment());
            Set<ListeningSockets.Listener> wildcards = opened(before).stream()
                    .filter(ListeningSockets.Listener::wildcard)
                    .collect(Collectors.toSet());

            assertThat(wildcards.stream().map(ListeningSockets.Listener::port).collect(Collectors.toSet()))
                    .as("listeners on every interface: %s", wildcards)
                    .containsAll(ports);
        }
    }

    private static Set<ListeningSockets.Listener> opened(Set<ListeningSockets.Listener> before) {
        return ListeningSockets.ofThisJvmAndItsChildren().stream()
                .filter(Predicate.not(before::contains))
                .collect(Collectors.toSet());
    }

    /** The ports of the API, Temporal, Redis, Kafka, S3 and Livy, as the stack reports them. */
    private static Set<Integer> ports(Environment environment) {
        String kafka = environment.getRequiredProperty("spring.kafka.bootstrap-servers");
        return Set.of(
                environment.getRequiredProperty("local.server.port", Integer.class),
                Integer.parseInt(environment
                        .getRequiredProperty("hubble.temporal.target")
                        .replaceAll(".*:", "")),
                environment.getRequiredProperty("spring.data.redis.port", Integer.class),
                Integer.parseInt(kafka.replaceAll(".*:", "")),
                URI.create(environment.getRequiredProperty("hubble.dev.s3-endpoint"))
                        .getPort(),
                URI.create(environment.getRequiredProperty("hubble.drivers.spark.livy.url"))
                        .getPort());
    }

    /** Livy starts in the background: its listener exists once it answers. */
    private static void awaitLivy(LocalStack stack) {
        stack.context.getBean(LocalSpark.class).livy(Duration.ofMinutes(3));
    }
}
