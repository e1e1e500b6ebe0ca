package dev.hubble.dev;

import static org.awaitility.Awaitility.await;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.store.JobStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many SQL jobs submitted through the REST API of a stack as fast as it accepts them, from a few
 * client threads, and what became of them. Shared by the burst test and the benchmark.
 */
final class Burst {

    /** What a burst measured. */
    record Outcome(List<String> jobIds, Duration acceptTime, Duration drainTime, List<JobRecord> finished) {

        double acceptRate() {
            return jobIds.size() / Math.max(0.001, acceptTime.toNanos() / 1e9);
        }

        /** Per job, from acceptance to its final state, sorted. */
        List<Duration> latencies() {
            List<Duration> latencies = new ArrayList<>(finished.stream()
                    .map(r -> Duration.between(r.createdAt(), r.updatedAt()))
                    .toList());
            Collections.sort(latencies);
            return latencies;
        }

        Duration latencyPercentile(double p) {
            List<Duration> sorted = latencies();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }

        Duration meanLatency() {
            return Duration.ofNanos((long)
                    latencies().stream().mapToLong(Duration::toNanos).average().orElse(0));
        }
    }

    private Burst() {}

    /** Submits {@code count} jobs of {@code source} with {@code priority}, returns their ids in acceptance order. */
    static List<String> submit(LocalStack stack, String source, int count, int priority, int clients) {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HttpResponse<String> response = stack.post(
                                "/v1/jobs",
                                Map.of(
                                        "query",
                                        "select " + i + " as n",
                                        "driver",
                                        "duckdb",
                                        "source",
                                        source,
                                        "priority",
                                        priority),
                                Map.of());
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("job " + i + " refused: " + response.body());
                        }
                        ids.add(stack.read(response.body()).get("jobId").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(ids);
    }

    /** Submits a burst and waits until every one of its jobs has finished. */
    static Outcome run(LocalStack stack, String source, int count, Duration atMost) {
        Instant start = Instant.now();
        List<String> ids = submit(stack, source, count, 5, 8);
        Duration acceptTime = Duration.between(start, Instant.now());
        List<JobRecord> finished = awaitFinished(stack, source, count, atMost);
        Instant lastFinish = finished.stream()
                .map(JobRecord::updatedAt)
                .max(Instant::compareTo)
                .orElseThrow();
        return new Outcome(ids, acceptTime, Duration.between(start, lastFinish), finished);
    }

    /** Waits until {@code count} jobs of {@code source} are in a terminal state, and returns their records. */
    static List<JobRecord> awaitFinished(LocalStack stack, String source, int count, Duration atMost) {
        JobStore store = stack.context.getBean(JobStore.class);
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> store.list(new JobQuery(source, null, null, 100_000)).stream()
                                .filter(r -> r.state().isTerminal())
                                .toList(),
                        records -> records.size() >= count);
    }

    static long count(List<JobRecord> records, JobState state) {
        return records.stream().filter(r -> r.state() == state).count();
    }
}
