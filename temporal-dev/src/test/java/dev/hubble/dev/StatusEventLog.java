package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Status events as a subscriber sees them: every record of the status topic, read as a
 * {@code hubble.job.status} event, with duplicates (same {@code ce_id}) dropped the way the
 * contract tells subscribers to.
 */
final class StatusEventLog implements AutoCloseable {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    /** One status event, and where it was. */
    record Event(
            String id,
            String jobId,
            long sequence,
            String state,
            Map<String, String> headers,
            JsonNode data,
            int partition,
            long offset) {}

    private final TopicLog log;
    private final ObjectMapper json = new ObjectMapper();

    StatusEventLog(String bootstrapServers, String topic) {
        this.log = new TopicLog(bootstrapServers, topic);
    }

    /** Every event so far, duplicates included, in arrival order. */
    List<Event> all() {
        return log.records().stream().map(this::event).toList();
    }

    /** The events of {@code jobId}, without duplicates, in the order they arrived. */
    List<Event> of(String jobId) {
        return distinct(all().stream().filter(e -> e.jobId().equals(jobId)).toList());
    }

    /** The events of jobs submitted by {@code source}, without duplicates, in the order they arrived. */
    List<Event> ofSource(String source) {
        return distinct(all().stream()
                .filter(e -> source.equals(e.data().path("source").asText()))
                .toList());
    }

    /** Waits until {@code jobId}'s events end in a terminal state, and returns them all. */
    List<Event> awaitFinished(String jobId, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> of(jobId),
                        events -> !events.isEmpty()
                                && TERMINAL.contains(
                                        events.get(events.size() - 1).state()));
    }

    /** Waits until {@code jobId} has an event of {@code state}. */
    Event awaitState(String jobId, String state, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> of(jobId).stream()
                                .filter(e -> e.state().equals(state))
                                .findFirst(),
                        o -> o.isPresent())
                .orElseThrow();
    }

    /**
     * Asserts what the contract promises for one job's events: sequences 1, 2, 3... without a gap,
     * in that order, starting QUEUED, moving only forward, ending in a terminal state.
     */
    static void assertComplete(List<Event> events) {
        assertThat(events).isNotEmpty();
        String jobId = events.get(0).jobId();
        List<Long> sequences = events.stream().map(Event::sequence).toList();
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= events.size(); i++) {
            expected.add(i);
        }
        assertThat(sequences).as("sequences of job %s", jobId).isEqualTo(expected);
        assertThat(events.get(0).state()).as("first state of job %s", jobId).isEqualTo("QUEUED");
        assertThat(TERMINAL)
                .as("last state of job %s", jobId)
                .contains(events.get(events.size() - 1).state());
        List<String> order = List.of("QUEUED", "SUBMITTED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
        for (int i = 1; i < events.size(); i++) {
            assertThat(order.indexOf(events.get(i).state()))
                    .as("states of job %s: %s", jobId, states(events))
                    .isGreaterThan(order.indexOf(events.get(i - 1).state()));
        }
    }

    static List<String> states(List<Event> events) {
        return events.stream().map(Event::state).toList();
    }

    private static List<Event> distinct(List<Event> events) {
        Set<String> seen = new HashSet<>();
        return events.stream().filter(e -> seen.add(e.id())).toList();
    }

    private Event event(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = TopicLog.headers(record);
        String id = headers.get("ce_id");
        String jobId = TopicLog.key(record);
        long sequence = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
        JsonNode data;
        try {
            data = json.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Event(
                id, jobId, sequence, data.path("state").asText(), headers, data, record.partition(), record.offset());
    }

    @Override
    public void close() {
        log.close();
    }
}
