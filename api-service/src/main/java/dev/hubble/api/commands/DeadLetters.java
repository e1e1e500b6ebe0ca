package dev.hubble.api.commands;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/**
 * Sends commands that cannot be carried out to the dead-letter topic: the original key, value
 * and headers, plus {@value #REASON_HEADER} ({@code <code>: <detail>}) and
 * {@value #ORIGIN_HEADER} ({@code <topic>-<partition>@<offset>}). Waits for the broker's
 * acknowledgement, so a command is never committed before it is safe in the dead-letter topic.
 */
final class DeadLetters implements DisposableBean {

    /** Header naming why the command was dead-lettered: a {@link DeadLetterReason} code, a colon, a detail. */
    static final String REASON_HEADER = "hubble_dlq_reason";
    /** Header naming where the command was read: {@code <topic>-<partition>@<offset>}. */
    static final String ORIGIN_HEADER = "hubble_dlq_origin";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_DETAIL = 1_000;

    private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final String topic;
    private final Duration timeout;
    private final Counter deadLettered;

    /** @param producers an idempotent {@code acks=all} producer factory; this object closes it */
    DeadLetters(
            DefaultKafkaProducerFactory<byte[], byte[]> producers,
            String topic,
            Duration timeout,
            MeterRegistry meters) {
        // No reason label: the reasons' details are unbounded; the topic's headers carry them.
        this.deadLettered = Counter.builder("hubble.commands.dead.lettered")
                .description("Commands refused and sent to the dead-letter topic")
                .register(meters);
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        // Failures surface as the listener's failure; the template's own error log would repeat them.
        this.kafka.setProducerListener(new ProducerListener<>() {});
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Sends {@code record} to the dead-letter topic and waits for the acknowledgement.
     *
     * @throws DeadLetterException if it was not acknowledged in time; the command is tried again
     */
    void send(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().equals(REASON_HEADER) && !header.key().equals(ORIGIN_HEADER)) {
                headers.add(header);
            }
        }
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        String reasonText = reason.code() + ": " + clean(detail);
        headers.add(REASON_HEADER, reasonText.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> letter =
                new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
        try {
            kafka.send(letter).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            throw new DeadLetterException("command " + origin + " could not be sent to " + topic, e);
        } catch (ExecutionException e) {
            throw new DeadLetterException("command " + origin + " could not be sent to " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterException(
                    "command " + origin + " was not acknowledged by " + topic + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while sending command " + origin + " to " + topic, e);
        }
        deadLettered.increment();
        log.warn("Command {} went to {}: {}", origin, topic, reasonText);
    }

    @Override
    public void destroy() {
        producers.destroy();
    }

    /** At most {@value #MAX_DETAIL} characters, on one line. */
    private static String clean(String detail) {
        String line = detail.replaceAll("\\p{Cntrl}", " ").strip();
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }

    /** The dead-letter topic did not take a command; a passing failure, so the command is tried again. */
    static final class DeadLetterException extends RuntimeException {

        DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
