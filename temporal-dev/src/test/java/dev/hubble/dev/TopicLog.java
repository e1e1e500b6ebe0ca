package dev.hubble.dev;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything written to one topic, from its beginning, collected by a background consumer as it
 * arrives, in arrival order (which is offset order within each partition). Records whose key is
 * not UTF-8 keep a mangled key; nothing here depends on it.
 */
final class TopicLog implements AutoCloseable {

    private final String topic;
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;

    TopicLog(String bootstrapServers, String topic) {
        this.topic = topic;
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "test-log-" + topic);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::poll, "topic-log-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Every record so far. */
    List<ConsumerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    /** Every record so far whose key is {@code key}. */
    List<ConsumerRecord<byte[], byte[]>> withKey(String key) {
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        return records.stream()
                .filter(r -> r.key() != null && Arrays.equals(r.key(), wanted))
                .toList();
    }

    String topic() {
        return topic;
    }

    /** The record's headers as text; the last one wins when a name repeats. */
    static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        return headers(record.headers());
    }

    /** Headers as text; the last one wins when a name repeats. */
    static Map<String, String> headers(Iterable<Header> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The record's key as text. */
    static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
