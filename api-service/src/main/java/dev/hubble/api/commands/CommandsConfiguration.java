package dev.hubble.api.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.api.jobs.JobService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaConnectionDetails;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The command consumer, when {@code hubble.commands.enabled=true}: one listener container on
 * {@code hubble.commands.topic} that commits each record's offset once the record is carried out
 * or dead-lettered ({@code AckMode.RECORD}), and a producer for the dead-letter topic.
 *
 * <p>A record that fails for a passing reason (Temporal or Redis unreachable, the dead-letter
 * topic unreachable) is tried again with a growing wait, for as long as it takes, and its offset
 * stays uncommitted meanwhile. A record that fails for any other reason is tried
 * {@value #UNFORESEEN_ATTEMPTS} times, then dead-lettered as {@code processing-failed}, so one
 * bad record never blocks its partition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hubble.commands.enabled", havingValue = "true")
@EnableConfigurationProperties({CommandsProperties.class, KafkaProperties.class})
class CommandsConfiguration {

    static final int UNFORESEEN_ATTEMPTS = 3;

    @Bean
    DeadLetters jobCommandDeadLetters(
            CommandsProperties properties,
            KafkaProperties kafka,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<KafkaConnectionDetails> connection,
            ObjectProvider<MeterRegistry> meters) {
        return new DeadLetters(
                deadLetterProducers(kafka, sslBundles, connection),
                properties.dlqTopic(),
                properties.dlqTimeout(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> jobCommandsContainer(
            CommandsProperties properties,
            KafkaProperties kafka,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<KafkaConnectionDetails> connection,
            DeadLetters deadLetters,
            JobService jobs,
            ObjectMapper json) {
        ContainerProperties container = new ContainerProperties(properties.topic());
        container.setGroupId(properties.groupId());
        container.setClientId("hubble-commands");
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setMessageListener(new JobCommandListener(jobs, deadLetters, json));

        ConcurrentMessageListenerContainer<byte[], byte[]> listeners =
                new ConcurrentMessageListenerContainer<>(consumers(kafka, sslBundles, connection), container);
        listeners.setConcurrency(properties.concurrency());
        listeners.setCommonErrorHandler(errorHandler(properties, deadLetters));
        return listeners;
    }

    private static DefaultErrorHandler errorHandler(CommandsProperties properties, DeadLetters deadLetters) {
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, e) -> deadLetters.send(bytes(record), DeadLetterReason.PROCESSING_FAILED, describe(cause(e))),
                new FixedBackOff(properties.retryInitial().toMillis(), UNFORESEEN_ATTEMPTS - 1));
        handler.setBackOffFunction((record, e) -> JobCommandListener.isPassing(e) ? untilItWorks(properties) : null);
        handler.setCommitRecovered(true);
        return handler;
    }

    private static BackOff untilItWorks(CommandsProperties properties) {
        ExponentialBackOff backOff =
                new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    private static DefaultKafkaConsumerFactory<byte[], byte[]> consumers(
            KafkaProperties kafka,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<KafkaConnectionDetails> connection) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties(sslBundles.getIfAvailable()));
        connection.ifAvailable(details -> config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", details.getConsumerBootstrapServers())));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts with the oldest command: commands sent before the API first ran count too.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Raw bytes: every record reaches the listener, which alone decides what is malformed.
        return new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers(
            KafkaProperties kafka,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<KafkaConnectionDetails> connection) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties(sslBundles.getIfAvailable()));
        connection.ifAvailable(details -> config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", details.getProducerBootstrapServers())));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hubble-commands-dlq");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new DefaultKafkaProducerFactory<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<byte[], byte[]> bytes(ConsumerRecord<?, ?> record) {
        // The container's deserializers are ByteArrayDeserializers.
        return (ConsumerRecord<byte[], byte[]>) record;
    }

    private static Throwable cause(Throwable e) {
        Throwable cause = e;
        while (cause instanceof ListenerExecutionFailedException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + " (see the API's log)";
    }
}
