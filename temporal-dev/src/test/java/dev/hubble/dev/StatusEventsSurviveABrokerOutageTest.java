package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.dev.StatusEventLog.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise that matters most to subscribers: whatever Kafka does, no transition is lost. A
 * real broker (its own JVM) is stopped while jobs run, is down for 30 seconds while jobs are
 * submitted, succeed, time out and are cancelled, and comes back on the same port with the same
 * log. Afterwards every transition of every job is on the topic, in order per job, none missing.
 */
class StatusEventsSurviveABrokerOutageTest {

    private static final Logger log = LoggerFactory.getLogger(StatusEventsSurviveABrokerOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Hours of counting: it only ends when cancelled or timed out (10^11 rows took 36 s on 2 cores). */
    private static final String LONG_QUERY = "select count(*) from range(100000000000000)";

    @Test
    void everyTransitionOfEveryJobArrivesInOrderAfterTheBrokerWasDownForThirtySeconds(@TempDir Path tmp) {
        try (ChildKafkaBroker broker = ChildKafkaBroker.start(tmp.resolve("kafka"))) {
            broker.createTopics("hubble.job-status", "hubble.job-commands", "hubble.job-commands.dlq");
            try (LocalStack stack = LocalStack.start(
                    tmp.resolve("data"),
                    "--hubble.dev.embedded-kafka=false",
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers())) {
                run(broker, stack);
            }
        }
    }

    private void run(ChildKafkaBroker broker, LocalStack stack) {
        String source = "outage-" + UUID.randomUUID();
        Map<String, String> expectedEnd = new LinkedHashMap<>();

        // Before: jobs that finish, and jobs that are still running when the broker goes.
        for (int i = 0; i < 4; i++) {
            expectedEnd.put(stack.submit(job("select " + i, source, null)), "SUCCEEDED");
        }
        List<String> timingOut = new ArrayList<>();
        List<String> toCancel = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            timingOut.add(stack.submit(job(LONG_QUERY, source, "PT12S")));
            toCancel.add(stack.submit(job(LONG_QUERY, source, null)));
        }
        timingOut.forEach(id -> expectedEnd.put(id, "TIMED_OUT"));
        toCancel.forEach(id -> expectedEnd.put(id, "CANCELLED"));
        try (StatusEventLog before = new StatusEventLog(broker.bootstrapServers(), "hubble.job-status")) {
            timingOut.forEach(id -> before.awaitState(id, "RUNNING", Duration.ofSeconds(30)));
            toCancel.forEach(id -> before.awaitState(id, "RUNNING", Duration.ofSeconds(30)));
        }

        broker.stop();
        Instant down = Instant.now();
        log.info("Broker stopped; down for {}", OUTAGE);

        // During: new jobs, cancellations and timeouts, all with the broker away.
        List<String> submittedDuringOutage = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String jobId = stack.submit(job("select 100 + " + i, source, null));
            submittedDuringOutage.add(jobId);
            expectedEnd.put(jobId, "SUCCEEDED");
        }
        toCancel.forEach(
                id -> assertThat(stack.delete("/v1/jobs/" + id).statusCode()).isEqualTo(202));
        // The store is written before the event is sent: the workflows' own QUEUED records (sequence 1)
        // are there although their events are not.
        JobStore store = stack.context.getBean(JobStore.class);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> submittedDuringOutage.stream()
                        .allMatch(id -> store.find(id).map(JobRecord::sequence).orElse(0L) >= 1));
        sleepUntil(down.plus(OUTAGE));

        broker.startAgain();
        Instant up = Instant.now();
        log.info("Broker back after {} s", Duration.between(down, up).toMillis() / 1000.0);

        try (StatusEventLog after = new StatusEventLog(broker.bootstrapServers(), "hubble.job-status")) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> expectedEnd.keySet().stream().allMatch(id -> finished(after.of(id))));
            Instant drained = Instant.now();

            int events = 0;
            int duringOutage = 0;
            for (Map.Entry<String, String> job : expectedEnd.entrySet()) {
                List<Event> transitions = after.of(job.getKey());
                StatusEventLog.assertComplete(transitions);
                assertThat(transitions.get(transitions.size() - 1).state())
                        .as("end of job %s", job.getKey())
                        .isEqualTo(job.getValue());
                JobRecord stored = store.find(job.getKey()).orElseThrow();
                assertThat(transitions).as("events of job %s", job.getKey()).hasSize((int) stored.sequence());
                assertThat(transitions)
                        .extracting(Event::partition)
                        .containsOnly(transitions.get(0).partition());
                events += transitions.size();
                duringOutage += (int) transitions.stream()
                        .map(e -> Instant.parse(e.headers().get("ce_time")))
                        .filter(t -> t.isAfter(down) && t.isBefore(up))
                        .count();
            }
            int received = (int) after.all().stream()
                    .filter(e -> expectedEnd.containsKey(e.jobId()))
                    .count();
            log.info(
                    "Outage of {} s: {} jobs, {} transitions ({} of them made while the broker was down), {} records "
                            + "received ({} duplicates dropped); all delivered {} s after the broker came back",
                    Duration.between(down, up).toMillis() / 1000.0,
                    expectedEnd.size(),
                    events,
                    duringOutage,
                    received,
                    received - events,
                    Duration.between(up, drained).toMillis() / 1000.0);
            assertThat(duringOutage)
                    .as("transitions made while the broker was down")
                    .isGreaterThanOrEqualTo(8);
        }
    }

    private static boolean finished(List<Event> events) {
        return !events.isEmpty()
                && StatusEventLog.TERMINAL.contains(
                        events.get(events.size() - 1).state());
    }

    private static Map<String, Object> job(String query, String source, String timeout) {
        Map<String, Object> job = new LinkedHashMap<>(Map.of("query", query, "driver", "duckdb", "source", source));
        if (timeout != null) {
            job.put("timeout", timeout);
        }
        return job;
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
