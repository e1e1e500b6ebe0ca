package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.store.JobStore;
import dev.hubble.dev.StatusEventLog.Event;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis holds every job's current record, but it is a cache of what the workflows know, not the
 * truth: a real Redis (its own process) is stopped for 30 seconds while 12 jobs of both local
 * drivers are submitted, run, succeed, fail, time out and are cancelled, then started again on
 * the same port with its data, as an operator restarting it would. Meanwhile every {@code GET}
 * still answers, from the workflows, and afterwards every job's record in Redis holds its final
 * state with every transition counted, and every status event was sent.
 *
 * <p>Redis comes back with its append-only file: a production Redis (ElastiCache, or one with
 * persistence) keeps its data across a restart. A Redis that lost its data is another fault, the
 * records of jobs that finished before it would be gone (though {@code GET} still answers from
 * their workflows).
 */
class JobsSurviveARedisOutageTest {

    private static final Logger log = LoggerFactory.getLogger(JobsSurviveARedisOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Hours of counting: it only ends when cancelled or timed out (10^11 rows took 36 s on 2 cores). */
    private static final String LONG_QUERY = "select count(*) from range(100000000000000)";

    @Test
    void everyJobIsReadableDuringAThirtySecondRedisOutageAndFullyRecordedAfterIt(@TempDir Path tmp) {
        try (ChildRedis redis = ChildRedis.start(tmp.resolve("redis"))) {
            try (LocalStack stack =
                    LocalStack.start(tmp.resolve("data"), redis.stackArgs().toArray(String[]::new))) {
                run(redis, stack);
            }
        }
    }

    private void run(ChildRedis redis, LocalStack stack) {
        String source = "redis-outage-" + UUID.randomUUID();
        Map<String, String> expectedEnd = new LinkedHashMap<>();

        // Before: two jobs that finish, and six still running when Redis goes.
        for (int i = 0; i < 2; i++) {
            String jobId = stack.submit(duckdb("select " + i, source, null));
            stack.awaitState(jobId, "SUCCEEDED");
            expectedEnd.put(jobId, "SUCCEEDED");
        }
        List<String> running = new ArrayList<>();
        List<String> toCancel = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String sleeper = stack.submit(python("sleeps", source, Map.of("seconds", "12")));
            expectedEnd.put(sleeper, "SUCCEEDED");
            String timingOut = stack.submit(duckdb(LONG_QUERY, source, "PT25S"));
            expectedEnd.put(timingOut, "TIMED_OUT");
            String cancelled = stack.submit(duckdb(LONG_QUERY, source, null));
            expectedEnd.put(cancelled, "CANCELLED");
            toCancel.add(cancelled);
            running.addAll(List.of(sleeper, timingOut, cancelled));
        }
        running.forEach(id -> stack.awaitState(id, "RUNNING", Duration.ofSeconds(60)));

        redis.stop();
        Instant down = Instant.now();
        log.info("Redis stopped; down for {}", OUTAGE);

        // During: four new jobs (one of them fails), two cancellations, two timeouts, two sleepers
        // that finish; every job read again and again.
        expectedEnd.put(stack.submit(duckdb("select 100", source, null)), "SUCCEEDED");
        expectedEnd.put(stack.submit(duckdb("select 101", source, null)), "SUCCEEDED");
        expectedEnd.put(stack.submit(python("hello", source, Map.of())), "SUCCEEDED");
        expectedEnd.put(stack.submit(python("fails", source, Map.of())), "FAILED");
        assertThat(expectedEnd).hasSize(12);
        toCancel.forEach(
                id -> assertThat(stack.delete("/v1/jobs/" + id).statusCode()).isEqualTo(202));

        Map<String, String> lastSeen = new LinkedHashMap<>();
        int reads = 0;
        long slowestMillis = 0;
        while (Instant.now().isBefore(down.plus(OUTAGE))) {
            for (String jobId : expectedEnd.keySet()) {
                long started = System.nanoTime();
                HttpResponse<String> response = stack.get("/v1/jobs/" + jobId);
                slowestMillis = Math.max(
                        slowestMillis,
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                assertThat(response.statusCode())
                        .as("GET of job %s while Redis is down: %s", jobId, response.body())
                        .isEqualTo(200);
                JsonNode document = stack.read(response.body());
                assertThat(document.get("jobId").asText()).isEqualTo(jobId);
                lastSeen.put(jobId, document.get("state").asText());
                reads++;
            }
        }
        Instant readsDone = Instant.now();
        long finishedDuringOutage = expectedEnd.keySet().stream()
                .filter(id -> StatusEventLog.TERMINAL.contains(lastSeen.get(id)))
                .count();
        redis.startAgain();
        Instant up = Instant.now();
        log.info("Redis back after {} s", Duration.between(down, up).toMillis() / 1000.0);
        // Every read above was answered while Redis was down: none of them waited for it to return.
        assertThat(readsDone).isBefore(up);
        assertThat(lastSeen).as("jobs read while Redis was down").containsOnlyKeys(expectedEnd.keySet());

        JobStore store = stack.context.getBean(JobStore.class);
        StatusEventLog events = stack.statusEvents();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> expectedEnd.entrySet().stream()
                        .allMatch(job -> stored(store, job.getKey())
                                        .map(JobRecord::state)
                                        .filter(state -> state.name().equals(job.getValue()))
                                        .isPresent()
                                && finished(events.of(job.getKey()))));
        Instant recorded = Instant.now();

        int transitions = 0;
        for (Map.Entry<String, String> job : expectedEnd.entrySet()) {
            JobRecord stored = store.find(job.getKey()).orElseThrow();
            List<Event> sent = events.of(job.getKey());
            StatusEventLog.assertComplete(sent);
            assertThat(sent.get(sent.size() - 1).state())
                    .as("last event of job %s", job.getKey())
                    .isEqualTo(job.getValue());
            // The stored record counts every transition, and each of them was sent.
            assertThat(stored.sequence())
                    .as("transitions of job %s: %s", job.getKey(), StatusEventLog.states(sent))
                    .isEqualTo(sent.size());
            JsonNode read = stack.awaitState(job.getKey(), job.getValue());
            assertThat(read.get("state").asText()).isEqualTo(job.getValue());
            transitions += sent.size();
        }
        log.info(
                "Redis outage of {} s: {} GETs of {} jobs answered while it was down (slowest {} ms), {} jobs "
                        + "finished during it; all {} transitions stored and sent {} s after Redis came back",
                Duration.between(down, up).toMillis() / 1000.0,
                reads,
                expectedEnd.size(),
                slowestMillis,
                finishedDuringOutage,
                transitions,
                Duration.between(up, recorded).toMillis() / 1000.0);
    }

    private static Optional<JobRecord> stored(JobStore store, String jobId) {
        try {
            return store.find(jobId);
        } catch (RuntimeException reconnecting) {
            return Optional.empty();
        }
    }

    private static boolean finished(List<Event> events) {
        return !events.isEmpty()
                && StatusEventLog.TERMINAL.contains(
                        events.get(events.size() - 1).state());
    }

    private static Map<String, Object> duckdb(String query, String source, String timeout) {
        Map<String, Object> job = new LinkedHashMap<>(Map.of("query", query, "driver", "duckdb", "source", source));
        if (timeout != null) {
            job.put("timeout", timeout);
        }
        return job;
    }

    private static Map<String, Object> python(String name, String source, Map<String, String> parameters) {
        return new LinkedHashMap<>(
                Map.of("query", name, "driver", "local-python", "source", source, "parameters", parameters));
    }
}
