package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What admission costs, measured, not asserted: a burst of SQL jobs against a driver whose gate
 * admits 4 at a time, and the same burst against a gate that admits them all, each on a fresh
 * local stack in this JVM, one after the other. Prints the accept rate, the time to drain the
 * burst and per-job latency, and the gate's added latency as the difference and ratio of the two
 * runs. Also times jobs one at a time, where no job ever waits for another, to show what the
 * gate's own round trip adds. Each stack first runs a warm-up burst that is not measured.
 *
 * <p>Not part of the normal build (tag {@code benchmark}). Run it with
 * {@code ./mvnw -pl temporal-dev -am verify -Dtest=BurstBenchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 * and {@code -Dhubble.benchmark.jobs=N} for another burst size (default 1,000).
 */
@Tag("benchmark")
class BurstBenchmark {

    private static final int JOBS = Integer.getInteger("hubble.benchmark.jobs", 1_000);
    private static final int ONE_AT_A_TIME = 30;
    private static final int WARM_UP = 200;

    @Test
    void admissionCostsOfABurst() throws IOException {
        Run limited = run("concurrency 4", 4);
        Run unlimited = run("unlimited gate", 100_000);

        System.out.printf("%n=== Hubble burst benchmark: %d duckdb jobs, 8 client threads, 2 cores ===%n", JOBS);
        System.out.printf(
                "%-16s %12s %10s %12s %12s %12s %14s%n",
                "gate", "accept/s", "drain s", "mean ms", "p50 ms", "p99 ms", "alone mean ms");
        for (Run run : List.of(limited, unlimited)) {
            System.out.printf(
                    "%-16s %12.1f %10.1f %12d %12d %12d %14d%n",
                    run.name(),
                    run.burst().acceptRate(),
                    seconds(run.burst().drainTime()),
                    run.burst().meanLatency().toMillis(),
                    run.burst().latencyPercentile(0.50).toMillis(),
                    run.burst().latencyPercentile(0.99).toMillis(),
                    run.alone().toMillis());
        }
        System.out.printf(
                "gate added latency per job in the burst: %+d ms mean (x%.2f)%n",
                limited.burst()
                        .meanLatency()
                        .minus(unlimited.burst().meanLatency())
                        .toMillis(),
                ratio(limited.burst().meanLatency(), unlimited.burst().meanLatency()));
        System.out.printf(
                "drain time: x%.2f of the unlimited run; accept rate: x%.2f%n",
                ratio(limited.burst().drainTime(), unlimited.burst().drainTime()),
                limited.burst().acceptRate() / unlimited.burst().acceptRate());
        System.out.printf(
                "one job at a time: %d ms with the limit, %d ms unlimited (x%.2f)%n%n",
                limited.alone().toMillis(), unlimited.alone().toMillis(), ratio(limited.alone(), unlimited.alone()));
    }

    private record Run(String name, Burst.Outcome burst, Duration alone) {}

    private static Run run(String name, int concurrency) throws IOException {
        try (LocalStack stack = LocalStack.start(
                Files.createTempDirectory("hubble-benchmark"),
                "--hubble.drivers.duckdb.concurrency=" + concurrency,
                "--logging.level.dev.hubble=WARN")) {
            // Warm-up, not measured: the JIT, the connection pools and the gate's first start.
            Burst.run(stack, "warm-up", WARM_UP, Duration.ofMinutes(10));
            Duration alone = alone(stack);
            Burst.Outcome burst = Burst.run(stack, "benchmark", JOBS, Duration.ofMinutes(20));
            assertThat(Burst.count(burst.finished(), JobState.SUCCEEDED)).isEqualTo(JOBS);
            return new Run(name, burst, alone);
        }
    }

    /** Mean latency of jobs submitted one after the other, each after the one before finished. */
    private static Duration alone(LocalStack stack) {
        long total = 0;
        for (int i = 0; i < ONE_AT_A_TIME; i++) {
            String jobId = stack.submit(Map.of("query", "select " + i, "driver", "duckdb", "source", "alone"));
            stack.awaitState(jobId, "SUCCEEDED");
            JobRecord done = Burst.awaitFinished(stack, "alone", i + 1, Duration.ofMinutes(1)).stream()
                    .filter(r -> r.jobId().equals(jobId))
                    .findFirst()
                    .orElseThrow();
            total += Duration.between(done.createdAt(), done.updatedAt()).toNanos();
        }
        return Duration.ofNanos(total / ONE_AT_A_TIME);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static double ratio(Duration a, Duration b) {
        return (double) a.toNanos() / Math.max(1, b.toNanos());
    }
}
