package dev.hubble.activities.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hubble.core.config.TemporalProperties;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.local.LocalResultLinks;
import dev.hubble.core.results.local.LocalResultStore;
import dev.hubble.core.results.local.LocalResultsProperties;
import dev.hubble.core.view.JobDocuments;
import dev.hubble.core.view.PublicUrlProperties;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Status events against a real (embedded, KRaft) broker. */
@EmbeddedKafka(kraft = true, partitions = 3, topics = KafkaStatusEventsTest.TOPIC)
class KafkaStatusEventsTest {

    static final String TOPIC = "test.job-status";

    private static final Instant CREATED = Instant.parse("2030-01-02T03:04:05Z");
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:07.250Z");

    private final ObjectMapper json =
            JsonMapper.builder().findAndAddModules().build().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<KafkaStatusEvents> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(KafkaStatusEvents::destroy);
    }

    @Test
    void eventCarriesTheCloudEventsHeadersAndTheJobDocument(EmbeddedKafkaBroker broker) throws Exception {
        KafkaStatusEvents events = events(broker, Duration.ofSeconds(10));
        JobRecord running = running(spec("orders", "order-17", "order", "v3"));

        events.publish(running);

        ConsumerRecord<String, byte[]> record = consume(broker, running.jobId()).get(0);
        assertThat(record.key()).isEqualTo(running.jobId());
        assertThat(headers(record))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", running.jobId() + ":2",
                        "ce_source", "urn:hubble:test",
                        "ce_type", "hubble.job.status",
                        "ce_subject", running.jobId(),
                        "ce_time", "2030-01-02T03:04:07.25Z",
                        "content-type", "application/json",
                        "ce_sourceid", "order-17",
                        "ce_sourcekind", "order",
                        "ce_sourceversion", "v3"));
        JsonNode data = json.readTree(record.value());
        assertThat(data)
                .isEqualTo(
                        json.valueToTree(documents(PublicUrlProperties.FALLBACK).of(running)));
        assertThat(data.get("state").asText()).isEqualTo("RUNNING");
        assertThat(data.get("sourceId").asText()).isEqualTo("order-17");
    }

    @Test
    void eventReadsBackAsABinaryCloudEvent(EmbeddedKafkaBroker broker) {
        KafkaStatusEvents events = events(broker, Duration.ofSeconds(10));
        JobRecord running = running(spec("orders", null, null, null));

        events.publish(running);

        ConsumerRecord<String, byte[]> record = consume(broker, running.jobId()).get(0);
        assertThat(KafkaMessageFactory.createReader(record).getEncoding()).isEqualTo(Encoding.BINARY);
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        assertThat(event.getId()).isEqualTo(running.jobId() + ":2");
        assertThat(event.getSubject()).isEqualTo(running.jobId());
        assertThat(event.getTime()).isEqualTo(NOW.atOffset(ZoneOffset.UTC));
        assertThat(event.getExtensionNames()).isEmpty();
        assertThat(headers(record)).doesNotContainKeys("ce_sourceid", "ce_sourcekind", "ce_sourceversion");
    }

    @Test
    void succeededEventCarriesResultLinksOfThePublicUrl(EmbeddedKafkaBroker broker) throws Exception {
        KafkaStatusEvents events = new KafkaStatusEvents(
                client(broker.getBrokersAsString()),
                documents("https://hubble.example.com/api"),
                json,
                properties(Duration.ofSeconds(10)));
        opened.add(events);
        JobResult result = new JobResult(OutputFormat.CSV, List.of(new ResultFile("result.csv", 12)));
        JobRecord succeeded = running(spec("orders", null, null, null)).moveTo(JobState.SUCCEEDED, NOW, null, result);

        events.publish(succeeded);

        JsonNode data = json.readTree(consume(broker, succeeded.jobId()).get(0).value());
        assertThat(data.at("/result/files/0/url").asText())
                .startsWith(
                        "https://hubble.example.com/api/v1/jobs/" + succeeded.jobId() + "/results/result.csv?expires=")
                .contains("&signature=");
        assertThat(data.at("/result/files/0/sizeBytes").asLong()).isEqualTo(12);
    }

    @Test
    void eventsOfOneJobShareAPartitionInTheirOrder(EmbeddedKafkaBroker broker) throws Exception {
        KafkaStatusEvents events = events(broker, Duration.ofSeconds(10));
        JobRecord queued = JobRecord.accepted(UUID.randomUUID().toString(), spec("orders", null, null, null), CREATED)
                .recordedAgain(CREATED);
        JobRecord submitted = queued.moveTo(JobState.SUBMITTED, NOW, null, null);
        JobRecord running = submitted.moveTo(JobState.RUNNING, NOW, null, null);
        JobRecord failed = running.moveTo(JobState.FAILED, NOW, JobError.of("boom"), null);

        for (JobRecord record : List.of(queued, submitted, running, failed)) {
            events.publish(record);
        }

        List<ConsumerRecord<String, byte[]>> records = consume(broker, queued.jobId());
        assertThat(records)
                .extracting(r -> headers(r).get("ce_id"))
                .containsExactly(
                        queued.jobId() + ":1", queued.jobId() + ":2", queued.jobId() + ":3", queued.jobId() + ":4");
        assertThat(records)
                .extracting(ConsumerRecord::partition)
                .containsOnly(records.get(0).partition());
        assertThat(json.readTree(records.get(3).value()).at("/error/message").asText())
                .isEqualTo("boom");
    }

    @Test
    void publishFailsWhenNoBrokerAcknowledgesInTime() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaStatusEvents events = new KafkaStatusEvents(
                client("127.0.0.1:" + closedPort),
                documents(PublicUrlProperties.FALLBACK),
                json,
                properties(Duration.ofSeconds(2)));
        opened.add(events);
        JobRecord running = running(spec("orders", null, null, null));
        long started = System.nanoTime();

        assertThatThrownBy(() -> events.publish(running))
                .isInstanceOf(StatusEventException.class)
                .hasMessageContaining(running.jobId() + ":2");
        // Bounded by the 2 s send timeout, not the producer's two-minute default; generous for a busy machine.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void producerWaitsForAllReplicasIsIdempotentAndSettlesWithinTheSendTimeout() {
        Map<String, Object> config = KafkaStatusEvents.producerConfig(
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "1",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        "kafka:9092"),
                Duration.ofSeconds(20));

        assertThat(config)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000L)
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    }

    @Test
    void sendTimeoutMustFitTheStateActivitysTimeout() {
        assertThatThrownBy(() -> properties(Duration.ofSeconds(25)))
                .hasMessageContaining("hubble.events.send-timeout")
                .hasMessageContaining("30s");
    }

    private KafkaStatusEvents events(EmbeddedKafkaBroker broker, Duration sendTimeout) {
        KafkaStatusEvents events = new KafkaStatusEvents(
                client(broker.getBrokersAsString()),
                documents(PublicUrlProperties.FALLBACK),
                json,
                properties(sendTimeout));
        opened.add(events);
        return events;
    }

    private static StatusEventsProperties properties(Duration sendTimeout) {
        return new StatusEventsProperties(true, TOPIC, URI.create("urn:hubble:test"), sendTimeout);
    }

    private static Map<String, Object> client(String bootstrap) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    private static JobDocuments documents(String publicUrl) {
        LocalResultsProperties properties = new LocalResultsProperties(
                Path.of("unused"), "test-signing-key-of-at-least-32-characters", Duration.ofHours(1));
        LocalResultLinks links = new LocalResultLinks(properties, Clock.fixed(NOW, ZoneOffset.UTC));
        ResultStores stores =
                new ResultStores(List.of(new LocalResultStore(properties.dir(), links)), ResultStores.LOCAL, Map.of());
        return new JobDocuments(
                stores,
                new TemporalProperties("localhost:7233", "default", null),
                new PublicUrlProperties(URI.create(publicUrl)));
    }

    private static JobSpec spec(String source, String sourceId, String sourceKind, String sourceVersion) {
        return new JobSpec(
                "select 42",
                "duckdb",
                OutputFormat.CSV,
                source,
                sourceId,
                sourceKind,
                sourceVersion,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(6),
                Map.of("day", "2030-01-01"),
                null);
    }

    /** A job at sequence 2: QUEUED (0, by the API), QUEUED again (1, by the workflow), RUNNING (2). */
    private static JobRecord running(JobSpec spec) {
        return JobRecord.accepted(UUID.randomUUID().toString(), spec, CREATED)
                .recordedAgain(CREATED)
                .moveTo(JobState.RUNNING, NOW, null, null);
    }

    private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** Every record of {@code key} in the topic so far. */
    private static List<ConsumerRecord<String, byte[]>> consume(EmbeddedKafkaBroker broker, String key) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
            return found;
        }
    }
}
