package dev.hubble.api.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.api.jobs.JobService;
import dev.hubble.api.jobs.SubmitJobRequest;
import dev.hubble.api.problem.InvalidRequestException;
import dev.hubble.api.problem.JsonInputProblems;
import dev.hubble.api.problem.ProblemException;
import dev.hubble.api.problem.ProblemType;
import dev.hubble.core.job.JobRecord;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.io.IOException;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.lang.Nullable;

/**
 * Carries out one command record: reads it as a CloudEvent (binary or structured mode), submits
 * or cancels the job it names, and sends what cannot be carried out to the dead-letter topic.
 *
 * <p>Returning normally lets the container commit the record's offset: after Temporal
 * acknowledged the workflow's start, or after the dead-letter topic acknowledged the record.
 * Throwing (Temporal unreachable, the dead-letter topic unreachable, anything unforeseen) leaves
 * the offset where it is, and the container's error handler tries the record again.
 */
final class JobCommandListener implements MessageListener<byte[], byte[]> {

    /** Submits the job in the event's data, the same JSON as {@code POST /v1/jobs}. */
    static final String SUBMIT = "hubble.job.submit";
    /** Cancels the job named by the event's subject, or by {@code jobId} in its data. */
    static final String CANCEL = "hubble.job.cancel";

    private static final Logger log = LoggerFactory.getLogger(JobCommandListener.class);

    private final JobService jobs;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    JobCommandListener(JobService jobs, DeadLetters deadLetters, ObjectMapper json) {
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], byte[]> record) {
        try {
            CloudEvent event = read(record);
            switch (event.getType()) {
                case SUBMIT -> submit(event);
                case CANCEL -> cancel(event);
                default ->
                    throw new RejectedCommandException(
                            DeadLetterReason.UNKNOWN_TYPE,
                            "type " + quote(event.getType()) + " is neither " + SUBMIT + " nor " + CANCEL);
            }
        } catch (RejectedCommandException e) {
            deadLetters.send(record, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
            if (isPassing(e)) {
                log.warn("Command {} cannot be carried out now; trying again: {}", origin, e.getMessage());
            } else {
                log.error("Command {} failed", origin, e);
            }
            throw e;
        }
    }

    /**
     * Whether {@code e} says something is unreachable for now (Temporal, Redis, the dead-letter
     * topic) rather than that the command is bad: such a command is tried again until it works.
     */
    static boolean isPassing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem.type() == ProblemType.TEMPORAL_UNAVAILABLE
                        || problem.type() == ProblemType.STORE_UNAVAILABLE;
            }
            if (t instanceof DeadLetters.DeadLetterException || t instanceof DataAccessException) {
                return true;
            }
        }
        return false;
    }

    private static CloudEvent read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new RejectedCommandException(DeadLetterReason.NOT_A_CLOUDEVENT, "the record has no value");
        }
        try {
            return KafkaMessageFactory.createReader(record.headers(), record.value())
                    .toEvent();
        } catch (RuntimeException e) {
            // The reader's messages name what is missing or malformed (e.g. "Attribute 'id' cannot be null").
            throw new RejectedCommandException(DeadLetterReason.NOT_A_CLOUDEVENT, String.valueOf(e.getMessage()));
        }
    }

    private void submit(CloudEvent event) {
        SubmitJobRequest request = parse(event, SubmitJobRequest.class, DeadLetterReason.INVALID_JOB);
        JobRecord job;
        try {
            job = jobs.submitCommand(request, event.getSource().toString(), event.getId());
        } catch (InvalidRequestException e) {
            throw new RejectedCommandException(
                    DeadLetterReason.INVALID_JOB, String.valueOf(e.getBody().getDetail()));
        }
        log.info(
                "Command {} from {} is job {} ({})",
                quote(event.getId()),
                quote(event.getSource().toString()),
                job.jobId(),
                job.state());
    }

    private void cancel(CloudEvent event) {
        String jobId = event.getSubject();
        if (jobId == null || jobId.isBlank()) {
            JsonNode data =
                    event.getData() == null ? null : parse(event, JsonNode.class, DeadLetterReason.INVALID_CANCEL);
            jobId = data != null && data.path("jobId").isTextual()
                    ? data.get("jobId").asText()
                    : null;
        }
        if (jobId == null || jobId.isBlank()) {
            throw new RejectedCommandException(
                    DeadLetterReason.INVALID_CANCEL,
                    "name the job in the event's subject or as {\"jobId\": ...} in its data");
        }
        try {
            jobs.cancel(jobId);
            log.info("Command {} cancelled job {}", quote(event.getId()), jobId);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.JOB_NOT_FOUND) {
                throw new RejectedCommandException(
                        DeadLetterReason.JOB_NOT_FOUND,
                        String.valueOf(e.getBody().getDetail()));
            }
            if (e.type() != ProblemType.JOB_FINISHED) {
                throw e;
            }
            // Already finished, perhaps by this very command delivered before: nothing left to do.
            log.info("Command {} asks to cancel job {}, which has finished", quote(event.getId()), quote(jobId));
        }
    }

    /** The event's data as {@code type}; a command whose data is no such JSON is rejected. */
    private <T> T parse(CloudEvent event, Class<T> type, DeadLetterReason invalid) {
        String contentType = event.getDataContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new RejectedCommandException(
                    DeadLetterReason.UNSUPPORTED_CONTENT_TYPE,
                    "data must be JSON (application/json), not " + quote(contentType));
        }
        CloudEventData data = event.getData();
        if (data == null) {
            throw new RejectedCommandException(invalid, "data: is required");
        }
        T value;
        try {
            value = json.readValue(data.toBytes(), type);
        } catch (IOException e) {
            throw new RejectedCommandException(
                    invalid,
                    String.valueOf(JsonInputProblems.of(e, "data").getBody().getDetail()));
        }
        if (value == null || value instanceof JsonNode node && !node.isObject()) {
            throw new RejectedCommandException(invalid, "data: must be a JSON object");
        }
        return value;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("text/json") || type.endsWith("+json");
    }

    /** At most 60 characters of caller input, quoted, with control characters dropped. */
    private static String quote(@Nullable String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "") + "'";
    }
}
