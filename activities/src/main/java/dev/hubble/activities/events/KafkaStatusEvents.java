package dev.hubble.activities.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.view.JobDocuments;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.kafka.support.SendResult;
import org.springframework.lang.Nullable;

/**
 * Status events on Kafka, as CloudEvents 1.0 in binary content mode: the attributes in
 * {@code ce_*} headers, the {@link dev.hubble.core.view.JobDocument} as the value, the job id as
 * the key, so all events of a job land in one partition, in order.
 *
 * <p>The producer is idempotent with {@code acks=all}, and every send is synchronous: {@link
 * #publish} returns once all in-sync replicas have the event. Events of one job are sent one at
 * a time (the workflow's recorder waits for each), so a retry can repeat an event but never reorder two.
 */
public final class KafkaStatusEvents implements StatusEvents, DisposableBean {

    /** The CloudEvents type of a status event. */
    public static final String TYPE = "hubble.job.status";

    private static final Logger log = LoggerFactory.getLogger(KafkaStatusEvents.class);

    private final DefaultKafkaProducerFactory<String, byte[]> producers;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JobDocuments documents;
    private final ObjectMapper json;
    private final StatusEventsProperties properties;

    /**
     * @param clientConfig the Kafka client settings from {@code spring.kafka.*} (bootstrap servers,
     *     security); delivery settings are overridden, see {@link #producerConfig}
     */
    public KafkaStatusEvents(
            Map<String, Object> clientConfig,
            JobDocuments documents,
            ObjectMapper json,
            StatusEventsProperties properties) {
        this.producers = new DefaultKafkaProducerFactory<>(
                producerConfig(clientConfig, properties.sendTimeout()),
                new StringSerializer(),
                new ByteArraySerializer());
        this.kafka = new KafkaTemplate<>(producers);
        // Failures surface as the activity's failure; the template's own error log would repeat them.
        this.kafka.setProducerListener(new ProducerListener<>() {});
        this.documents = documents;
        this.json = json;
        this.properties = properties;
    }

    /**
     * {@code clientConfig} with what makes an event impossible to lose or duplicate silently:
     * {@code acks=all}, idempotence, unlimited retries within a delivery timeout of
     * {@code sendTimeout}, and a metadata wait of a quarter of it.
     */
    static Map<String, Object> producerConfig(Map<String, Object> clientConfig, Duration sendTimeout) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis() / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout.toMillis() / 4);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hubble-status-events");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return config;
    }

    @Override
    public void publish(JobRecord record) {
        send(record, properties.sendTimeout().plusSeconds(1));
    }

    @Override
    public boolean tryPublish(JobRecord record, Duration within) {
        try {
            send(record, within);
            return true;
        } catch (StatusEventException e) {
            log.debug("Status event of job {} not acknowledged within {}: {}", record.jobId(), within, e.getMessage());
            return false;
        }
    }

    private void send(JobRecord record, Duration wait) {
        CloudEvent event = event(record);
        ProducerRecord<String, byte[]> message = KafkaMessageFactory.createWriter(
                        properties.statusTopic(), record.jobId())
                .writeBinary(event);
        try {
            // The producer settles every send within its delivery timeout; a wait longer than that
            // only guards against waiting forever should it not.
            SendResult<String, byte[]> sent = kafka.send(message).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            log.debug(
                    "Status event {} is at {}-{}@{}",
                    event.getId(),
                    properties.statusTopic(),
                    sent.getRecordMetadata().partition(),
                    sent.getRecordMetadata().offset());
        } catch (RuntimeException e) {
            throw new StatusEventException(
                    "status event " + event.getId() + " could not be sent: " + rootMessage(e), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StatusEventException(
                    "status event " + event.getId() + " was not acknowledged by Kafka: " + rootMessage(cause), cause);
        } catch (TimeoutException e) {
            throw new StatusEventException(
                    "status event " + event.getId() + " was not acknowledged by Kafka within " + wait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusEventException("interrupted while sending status event " + event.getId(), e);
        }
    }

    /** The event of {@code record}; the same record always makes the same event, links aside. */
    CloudEvent event(JobRecord record) {
        JobSpec spec = record.spec();
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(record.jobId() + ":" + record.sequence())
                .withSource(properties.source())
                .withType(TYPE)
                .withSubject(record.jobId())
                .withTime(record.updatedAt().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(document(record));
        extension(event, "sourceid", spec.sourceId());
        extension(event, "sourcekind", spec.sourceKind());
        extension(event, "sourceversion", spec.sourceVersion());
        return event.build();
    }

    private byte[] document(JobRecord record) {
        try {
            return json.writeValueAsBytes(documents.of(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the document of job " + record.jobId(), e);
        }
    }

    private static void extension(CloudEventBuilder event, String name, @Nullable String value) {
        if (value != null) {
            event.withExtension(name, value);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
