package dev.hubble.api.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.store.JobStore;
import dev.hubble.core.temporal.JobWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The command consumer of the real API application against a real (embedded, KRaft) broker, with
 * Temporal mocked and the job store in memory.
 */
@SpringBootTest(
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "hubble.commands.enabled=true",
            "hubble.commands.retry-initial=100ms",
            "hubble.commands.retry-max=400ms",
            "hubble.results.local.dir=${java.io.tmpdir}/hubble-commands-test-results",
            "hubble.results.local.signing-key=commands-test-signing-key-of-32-characters",
            "hubble.jobs.token-secret=commands-test-token-secret-of-32-characters",
            "hubble.drivers.duckdb.enabled=true"
        })
@EmbeddedKafka(
        kraft = true,
        partitions = 1,
        topics = {JobCommandsTest.COMMANDS, JobCommandsTest.DLQ})
class JobCommandsTest {

    static final String COMMANDS = "hubble.job-commands";
    static final String DLQ = "hubble.job-commands.dlq";
    private static final TopicPartition PARTITION = new TopicPartition(COMMANDS, 0);

    private static KafkaProducer<byte[], byte[]> producer;
    private static Admin admin;

    @Autowired
    EmbeddedKafkaBroker broker;

    @MockitoBean
    WorkflowClient client;

    @TestConfiguration(proxyBeanMethods = false)
    static class MemoryStore {

        @Bean
        JobStore jobStore() {
            return new InMemoryJobStore();
        }
    }

    @BeforeEach
    void connect() {
        // The broker starts with the application context, after the class is set up.
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
        }
    }

    @AfterAll
    static void disconnect() {
        if (producer != null) {
            producer.close();
            admin.close();
            producer = null;
        }
    }

    @Test
    void binarySubmitStartsTheJobsWorkflowAndCommitsTheOffsetAfterwards() {
        JobWorkflow workflow = workflowToStart();
        String source = "orders-" + UUID.randomUUID();

        long offset = send(binary(
                "cmd-1",
                "/orders",
                JobCommandListener.SUBMIT,
                null,
                "{\"query\": \"select 1\", \"driver\": \"duckdb\", \"source\": \"" + source + "\"}"));

        awaitCommitted(offset + 1);
        ArgumentCaptor<WorkflowOptions> options = ArgumentCaptor.forClass(WorkflowOptions.class);
        verify(client).newWorkflowStub(eq(JobWorkflow.class), options.capture());
        verify(workflow).run(any());
        assertThat(options.getValue().getTaskQueue()).isEqualTo("hubble-jobs-duckdb");
        assertThat(UUID.fromString(options.getValue().getWorkflowId()).toString())
                .isEqualTo(options.getValue().getWorkflowId());
    }

    @Test
    void structuredSubmitIsAcceptedToo() {
        JobWorkflow workflow = workflowToStart();
        String event = """
                {"specversion": "1.0", "id": "cmd-structured", "source": "/orders", "type": "hubble.job.submit",
                 "datacontenttype": "application/json",
                 "data": {"query": "select 2", "driver": "duckdb", "source": "structured"}}""";
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json; charset=utf-8".getBytes(StandardCharsets.UTF_8));

        long offset = send(
                new ProducerRecord<>(COMMANDS, null, (byte[]) null, event.getBytes(StandardCharsets.UTF_8), headers));

        awaitCommitted(offset + 1);
        verify(workflow).run(any());
    }

    @Test
    void theSameEventDeliveredTwiceMakesOneJob() {
        JobWorkflow workflow = workflowToStart();
        String id = "cmd-" + UUID.randomUUID();
        String data = "{\"query\": \"select 3\", \"driver\": \"duckdb\", \"source\": \"twice\"}";

        send(binary(id, "/orders", JobCommandListener.SUBMIT, null, data));
        long second = send(binary(id, "/orders", JobCommandListener.SUBMIT, null, data));
        awaitCommitted(second + 1);
        long other = send(binary(id, "/invoices", JobCommandListener.SUBMIT, null, data));
        awaitCommitted(other + 1);

        ArgumentCaptor<WorkflowOptions> options = ArgumentCaptor.forClass(WorkflowOptions.class);
        verify(client, times(2)).newWorkflowStub(eq(JobWorkflow.class), options.capture());
        verify(workflow, times(2)).run(any());
        assertThat(options.getAllValues())
                .extracting(WorkflowOptions::getWorkflowId)
                .doesNotHaveDuplicates();
    }

    @Test
    void commandIsTriedAgainWhileTemporalIsUnreachableAndCommittedOnlyOnceStarted() throws Exception {
        JobWorkflow workflow = workflowToStart();
        AtomicInteger attempts = new AtomicInteger();
        when(workflow.run(any())).thenAnswer(invocation -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new WorkflowServiceException(
                        WorkflowExecution.getDefaultInstance(),
                        "HubbleJob",
                        new StatusRuntimeException(Status.UNAVAILABLE));
            }
            return null;
        });
        String key = "unreachable-" + UUID.randomUUID();

        long offset = send(binary(
                "cmd-unreachable",
                "/orders",
                JobCommandListener.SUBMIT,
                key,
                "{\"query\": \"select 4\", \"driver\": \"duckdb\", \"source\": \"unreachable\"}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 2);
        assertThat(committed()).as("committed while Temporal is unreachable").isLessThanOrEqualTo(offset);
        awaitCommitted(offset + 1);
        assertThat(attempts.get()).isEqualTo(4);
        assertThat(deadLetters(key)).isEmpty();
    }

    @Test
    void invalidJobGoesToTheDeadLetterTopicAsItWasWithTheReason() {
        String key = "invalid-" + UUID.randomUUID();
        ProducerRecord<byte[], byte[]> command = binary(
                "cmd-invalid", "/orders", JobCommandListener.SUBMIT, key, "{\"driver\": \"duckdb\", \"priority\": 12}");
        command.headers().add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));

        long offset = send(command);

        awaitCommitted(offset + 1);
        ConsumerRecord<byte[], byte[]> letter = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters(key), l -> !l.isEmpty())
                .get(0);
        assertThat(letter.value()).isEqualTo(command.value());
        assertThat(header(letter, "hubble_dlq_reason"))
                .isEqualTo(
                        "invalid-job: query: must not be blank; source: must not be blank; priority: must be between 0 and 9");
        assertThat(header(letter, "hubble_dlq_origin")).isEqualTo(COMMANDS + "-0@" + offset);
        assertThat(header(letter, "ce_id")).isEqualTo("cmd-invalid");
        assertThat(header(letter, "traceparent")).isEqualTo("00-abc-def-01");
        verify(client, never()).newWorkflowStub(eq(JobWorkflow.class), any(WorkflowOptions.class));
    }

    @Test
    void cancelCommandCancelsTheJobItsSubjectOrDataNames() {
        String bySubject = UUID.randomUUID().toString();
        String byData = UUID.randomUUID().toString();
        WorkflowStub first = runningJob(bySubject);
        WorkflowStub second = runningJob(byData);

        send(binary("cancel-1", "/orders", JobCommandListener.CANCEL, null, null, bySubject));
        long offset =
                send(binary("cancel-2", "/orders", JobCommandListener.CANCEL, null, "{\"jobId\": \"" + byData + "\"}"));

        awaitCommitted(offset + 1);
        verify(first).cancel();
        verify(second).cancel();
    }

    @Test
    void cancelOfAnUnknownJobGoesToTheDeadLetterTopic() {
        String jobId = UUID.randomUUID().toString();
        JobWorkflow workflow = mock(JobWorkflow.class);
        when(client.newWorkflowStub(JobWorkflow.class, jobId)).thenReturn(workflow);
        when(workflow.status())
                .thenThrow(new WorkflowNotFoundException(
                        WorkflowExecution.newBuilder().setWorkflowId(jobId).build(), null, null));
        String key = "unknown-" + UUID.randomUUID();

        long offset = send(binary("cancel-unknown", "/orders", JobCommandListener.CANCEL, key, null, jobId));

        awaitCommitted(offset + 1);
        assertThat(header(
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> deadLetters(key), l -> !l.isEmpty())
                                .get(0),
                        "hubble_dlq_reason"))
                .isEqualTo("job-not-found: There is no job " + jobId + ".");
    }

    private JobWorkflow workflowToStart() {
        JobWorkflow workflow = mock(JobWorkflow.class);
        when(client.newWorkflowStub(eq(JobWorkflow.class), any(WorkflowOptions.class)))
                .thenReturn(workflow);
        return workflow;
    }

    private WorkflowStub runningJob(String jobId) {
        JobWorkflow workflow = mock(JobWorkflow.class);
        when(client.newWorkflowStub(JobWorkflow.class, jobId)).thenReturn(workflow);
        when(workflow.status())
                .thenReturn(JobRecord.accepted(
                        jobId,
                        new JobSpec(
                                "select 1",
                                "duckdb",
                                OutputFormat.CSV,
                                "s",
                                null,
                                null,
                                null,
                                5,
                                Duration.ofHours(1),
                                Map.of(),
                                null),
                        Instant.now()));
        WorkflowStub stub = mock(WorkflowStub.class);
        when(client.newUntypedWorkflowStub(jobId)).thenReturn(stub);
        return stub;
    }

    private static ProducerRecord<byte[], byte[]> binary(
            String id, String source, String type, String key, String data) {
        return binary(id, source, type, key, data, null);
    }

    private static ProducerRecord<byte[], byte[]> binary(
            String id, String source, String type, String key, String data, String subject) {
        RecordHeaders headers = new RecordHeaders();
        Map<String, String> attributes =
                new HashMap<>(Map.of("ce_specversion", "1.0", "ce_id", id, "ce_source", source, "ce_type", type));
        if (subject != null) {
            attributes.put("ce_subject", subject);
        }
        if (data != null) {
            attributes.put("content-type", "application/json");
        }
        attributes.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(
                COMMANDS,
                null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8),
                headers);
    }

    private static long send(ProducerRecord<byte[], byte[]> record) {
        try {
            RecordMetadata sent = producer.send(record).get();
            return sent.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCommitted(long offset) {
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() >= offset);
    }

    private static long committed() throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets("hubble-api")
                .partitionsToOffsetAndMetadata()
                .get()
                .get(PARTITION);
        return committed == null ? -1 : committed.offset();
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(String key) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition dlq = new TopicPartition(DLQ, 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            long end = consumer.endOffsets(List.of(dlq)).get(dlq);
            while (consumer.position(dlq) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Keeps the newest record of each job, as Redis does. */
    static final class InMemoryJobStore implements JobStore {

        private final Map<String, JobRecord> records = new ConcurrentHashMap<>();

        @Override
        public boolean save(JobRecord record) {
            JobRecord before = records.get(record.jobId());
            if (before != null && before.sequence() >= record.sequence()) {
                return false;
            }
            records.put(record.jobId(), record);
            return true;
        }

        @Override
        public Optional<JobRecord> find(String jobId) {
            return Optional.ofNullable(records.get(jobId));
        }

        @Override
        public List<JobRecord> list(JobQuery query) {
            return records.values().stream()
                    .filter(r -> query.state() == null || r.state() == query.state())
                    .limit(query.limit())
                    .toList();
        }

        @Override
        public List<String> children(String jobId) {
            return records.values().stream()
                    .filter(r -> jobId.equals(r.spec().parentJobId()))
                    .map(JobRecord::jobId)
                    .toList();
        }
    }
}
