package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubble.dev.StatusEventLog.Event;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Status events and job commands through the local stack's real KRaft broker: jobs followed
 * through {@code hubble.job-status}, submitted and cancelled through {@code hubble.job-commands},
 * bad commands found in {@code hubble.job-commands.dlq}.
 */
class KafkaEndToEndTest {

    private static final Duration JOB_TIME = Duration.ofSeconds(60);

    private final LocalStack stack = LocalStack.get();
    private final StatusEventLog events = stack.statusEvents();

    @Test
    void everyTransitionOfAJobIsAStatusEventCarryingWhatGetReturns() {
        String jobId = stack.submit(Map.of(
                "query",
                "select 42 as answer",
                "driver",
                "duckdb",
                "source",
                "e2e-events",
                "sourceId",
                "report-7",
                "sourceKind",
                "report",
                "sourceVersion",
                "v2"));

        List<Event> transitions = events.awaitFinished(jobId, JOB_TIME);

        StatusEventLog.assertComplete(transitions);
        assertThat(StatusEventLog.states(transitions))
                .containsSubsequence("QUEUED", "SUBMITTED", "SUCCEEDED")
                .isSubsetOf("QUEUED", "SUBMITTED", "RUNNING", "SUCCEEDED");
        for (Event event : transitions) {
            assertThat(event.headers())
                    .containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_id", jobId + ":" + event.sequence())
                    .containsEntry("ce_source", "/hubble")
                    .containsEntry("ce_type", "hubble.job.status")
                    .containsEntry("ce_subject", jobId)
                    .containsEntry("content-type", "application/json")
                    .containsEntry("ce_sourceid", "report-7")
                    .containsEntry("ce_sourcekind", "report")
                    .containsEntry("ce_sourceversion", "v2");
            assertThat(Instant.parse(event.headers().get("ce_time")))
                    .isEqualTo(Instant.parse(event.data().get("updatedAt").asText()));
            assertThat(event.partition()).isEqualTo(transitions.get(0).partition());
        }
        Event succeeded = last(transitions);
        JsonNode document = stack.read(stack.get("/v1/jobs/" + jobId).body());
        assertThat(withoutSignatures(succeeded.data())).isEqualTo(withoutSignatures(document));
        String link = succeeded.data().at("/result/files/0/url").asText();
        assertThat(link)
                .startsWith(stack.s3() + "/hubble-results/jobs/" + jobId + "/result.csv?")
                .contains("X-Amz-Signature=");
        HttpResponse<byte[]> download = stack.download(link);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("answer\n42\n");
    }

    @Test
    void jobSubmittedAsABinaryCloudEventRunsAndIsFollowedThroughItsEvents() {
        String source = "e2e-binary-" + UUID.randomUUID();

        stack.send(binary(
                UUID.randomUUID().toString(),
                "hubble.job.submit",
                source,
                "{\"query\": \"select 1 as one\", \"driver\": \"duckdb\", \"source\": \"" + source + "\"}"));

        List<Event> transitions = awaitFinishedBySource(source);
        StatusEventLog.assertComplete(transitions);
        assertThat(last(transitions).state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void jobSubmittedAsAStructuredCloudEventRunsAndIsFollowedThroughItsEvents() {
        String source = "e2e-structured-" + UUID.randomUUID();

        stack.send(structured(
                UUID.randomUUID().toString(),
                "hubble.job.submit",
                source,
                "{\"query\": \"select 2 as two\", \"driver\": \"duckdb\", \"format\": \"parquet\", \"source\": \""
                        + source + "\"}"));

        List<Event> transitions = awaitFinishedBySource(source);
        StatusEventLog.assertComplete(transitions);
        Event finished = last(transitions);
        assertThat(finished.state()).isEqualTo("SUCCEEDED");
        assertThat(finished.data().at("/result/format").asText()).isEqualTo("parquet");
    }

    @Test
    void theSameCommandDeliveredThreeTimesMakesOneJob() {
        String source = "e2e-redelivered-" + UUID.randomUUID();
        String data = "{\"query\": \"select 3 as three\", \"driver\": \"duckdb\", \"source\": \"" + source + "\"}";
        String commandId = UUID.randomUUID().toString();
        String after = source + "-after";

        for (int i = 0; i < 3; i++) {
            stack.send(binary(commandId, "hubble.job.submit", source, data));
        }
        // Same key, so same partition: once this one is done, the three before it are too.
        stack.send(binary(
                UUID.randomUUID().toString(),
                "hubble.job.submit",
                source,
                "{\"query\": \"select 4\", \"driver\": \"duckdb\", \"source\": \"" + after + "\"}"));
        awaitFinishedBySource(after);

        List<Event> transitions = awaitFinishedBySource(source);
        assertThat(transitions.stream().map(Event::jobId).distinct()).hasSize(1);
        StatusEventLog.assertComplete(transitions);
        JsonNode listed =
                stack.read(stack.get("/v1/jobs?source=" + source).body()).get("jobs");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("jobId").asText())
                .isEqualTo(transitions.get(0).jobId());
    }

    @Test
    void malformedCommandsGoToTheDeadLetterTopicWithReasonsWhileTheRestAreCarriedOut() {
        String key = "e2e-dlq-" + UUID.randomUUID();
        String before = key + "-before";
        String after = key + "-after";
        String oversized = "select '" + "x".repeat(70_000) + "'";
        List<ProducerRecord<byte[], byte[]>> batch = List.of(
                binary(
                        UUID.randomUUID().toString(),
                        "hubble.job.submit",
                        key,
                        "{\"query\": \"select 5\", \"driver\": \"duckdb\", \"source\": \"" + before + "\"}"),
                record(key, new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, 0x7B}, Map.of()),
                binary(UUID.randomUUID().toString(), "hubble.job.explode", key, "{}"),
                binary(UUID.randomUUID().toString(), "hubble.job.submit", key, "{\"driver\": \"duckdb\"}"),
                binary(
                        UUID.randomUUID().toString(),
                        "hubble.job.submit",
                        key,
                        "{\"query\": \"" + oversized + "\", \"driver\": \"duckdb\", \"source\": \"" + key + "\"}"),
                record(
                        key,
                        "{\"specversion\": \"1.0\", \"id\": ".getBytes(StandardCharsets.UTF_8),
                        Map.of("content-type", "application/cloudevents+json")),
                record(
                        key,
                        "select 1".getBytes(StandardCharsets.UTF_8),
                        Map.of(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                "x",
                                "ce_source",
                                "/e2e",
                                "ce_type",
                                "hubble.job.submit",
                                "content-type",
                                "text/plain")),
                binary(UUID.randomUUID().toString(), "hubble.job.cancel", key, "{}"),
                binary(
                        UUID.randomUUID().toString(),
                        "hubble.job.submit",
                        key,
                        "{\"query\": \"select 6\", \"driver\": \"duckdb\", \"source\": \"" + after + "\"}"));

        List<String> origins = batch.stream()
                .map(stack::send)
                .map(sent -> sent.topic() + "-" + sent.partition() + "@" + sent.offset())
                .toList();

        assertThat(last(awaitFinishedBySource(before)).state()).isEqualTo("SUCCEEDED");
        assertThat(last(awaitFinishedBySource(after)).state()).isEqualTo("SUCCEEDED");
        List<ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.deadLetters().withKey(key), l -> l.size() >= 7);
        assertThat(letters).hasSize(7);
        assertThat(letters)
                .extracting(l -> TopicLog.headers(l).get("hubble_dlq_origin"))
                .containsExactlyElementsOf(origins.subList(1, 8));
        List<String> reasons = letters.stream()
                .map(l -> TopicLog.headers(l).get("hubble_dlq_reason"))
                .toList();
        assertThat(reasons.get(0)).startsWith("not-a-cloudevent: ");
        assertThat(reasons.get(1))
                .isEqualTo(
                        "unknown-type: type 'hubble.job.explode' is neither hubble.job.submit nor hubble.job.cancel");
        assertThat(reasons.get(2)).isEqualTo("invalid-job: query: must not be blank; source: must not be blank");
        assertThat(reasons.get(3)).isEqualTo("invalid-job: query: must be at most 65536 bytes (UTF-8)");
        assertThat(reasons.get(4)).startsWith("not-a-cloudevent: ");
        assertThat(reasons.get(5)).startsWith("unsupported-content-type: ");
        assertThat(reasons.get(6)).startsWith("invalid-cancel: ");
        for (int i = 0; i < letters.size(); i++) {
            ProducerRecord<byte[], byte[]> sent = batch.get(i + 1);
            assertThat(letters.get(i).value()).as("value of dead letter %d", i).isEqualTo(sent.value());
            assertThat(letters.get(i).key()).isEqualTo(sent.key());
            assertThat(TopicLog.headers(letters.get(i))).containsAllEntriesOf(TopicLog.headers(sent.headers()));
        }
    }

    @Test
    void cancelCommandCancelsARunningJob() {
        String jobId = stack.submit(Map.of(
                "query",
                "select count(*) from range(100000000000000)",
                "driver",
                "duckdb",
                "source",
                "e2e-cancel-command"));
        events.awaitState(jobId, "RUNNING", JOB_TIME);

        RecordHeaders headers = ceHeaders(UUID.randomUUID().toString(), "hubble.job.cancel");
        headers.add("ce_subject", jobId.getBytes(StandardCharsets.UTF_8));
        stack.send(new ProducerRecord<>(
                "hubble.job-commands", null, jobId.getBytes(StandardCharsets.UTF_8), new byte[0], headers));

        List<Event> transitions = events.awaitFinished(jobId, JOB_TIME);
        StatusEventLog.assertComplete(transitions);
        assertThat(last(transitions).state()).isEqualTo("CANCELLED");
    }

    private static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }

    private List<Event> awaitFinishedBySource(String source) {
        return await().atMost(JOB_TIME)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> events.ofSource(source),
                        e -> !e.isEmpty()
                                && StatusEventLog.TERMINAL.contains(
                                        e.get(e.size() - 1).state()));
    }

    /** The document without what differs between two signings of the same links. */
    private static JsonNode withoutSignatures(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        if (copy.get("result") != null) {
            for (JsonNode file : (ArrayNode) copy.get("result").get("files")) {
                ((ObjectNode) file).remove(Set.of("url", "expiresAt"));
            }
        }
        return copy;
    }

    /** A command in binary content mode, the way kcat sends one: attributes as {@code ce_*} headers. */
    private static ProducerRecord<byte[], byte[]> binary(String id, String type, String key, String data) {
        RecordHeaders headers = ceHeaders(id, type);
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                "hubble.job-commands",
                null,
                key.getBytes(StandardCharsets.UTF_8),
                data.getBytes(StandardCharsets.UTF_8),
                headers);
    }

    /** A command in structured content mode: the whole event as JSON in the value. */
    private static ProducerRecord<byte[], byte[]> structured(String id, String type, String key, String data) {
        String event = "{\"specversion\": \"1.0\", \"id\": \"" + id + "\", \"source\": \"/e2e\", \"type\": \"" + type
                + "\", \"datacontenttype\": \"application/json\", \"data\": " + data + "}";
        return record(
                key, event.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/cloudevents+json"));
    }

    private static RecordHeaders ceHeaders(String id, String type) {
        RecordHeaders headers = new RecordHeaders();
        Map<String, String> attributes =
                new HashMap<>(Map.of("ce_specversion", "1.0", "ce_id", id, "ce_source", "/e2e", "ce_type", type));
        attributes.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static ProducerRecord<byte[], byte[]> record(String key, byte[] value, Map<String, String> headerValues) {
        RecordHeaders headers = new RecordHeaders();
        headerValues.forEach((name, v) -> headers.add(name, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>("hubble.job-commands", null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }
}
