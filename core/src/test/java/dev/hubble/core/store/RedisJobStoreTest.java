package dev.hubble.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemoteDetails;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/** The job store against a real Redis. */
class RedisJobStoreTest {

    private static RedisServer server;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;

    private final String prefix = "test-" + UUID.randomUUID();
    private final RedisJobStore store = new RedisJobStore(
            redis,
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS),
            new StoreProperties(prefix, Duration.ofDays(7), Duration.ofSeconds(5)));

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .build();
        server.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        connections.afterPropertiesSet();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        connections.destroy();
        server.stop();
    }

    @Test
    void newerRecordReplacesOlderOne() {
        JobRecord queued = job("a", "s", null, 0);
        JobRecord running = queued.moveTo(JobState.SUBMITTED, queued.createdAt(), null, null);

        assertThat(store.save(queued)).isTrue();
        assertThat(store.save(running)).isTrue();

        assertThat(store.find(queued.jobId())).contains(running);
    }

    @Test
    void whereTheEngineRunsTheJobIsKeptWithItsRecord() {
        JobRecord queued = job("a", "s", null, 0);
        RemoteDetails remote =
                new RemoteDetails("12", "application_1_0012", "http://spark-ui", null, "hubble/default/x");
        JobRecord running = queued.moveTo(JobState.SUBMITTED, queued.createdAt(), null, null)
                .withRemote(remote)
                .moveTo(JobState.RUNNING, queued.createdAt(), null, null);

        store.save(running);

        assertThat(store.find(queued.jobId()))
                .get()
                .extracting(JobRecord::remote)
                .isEqualTo(remote);
    }

    @Test
    void olderOrSameSequenceNeverOverwritesNewer() {
        JobRecord queued = job("a", "s", null, 0);
        JobRecord failed = queued.moveTo(JobState.FAILED, queued.createdAt(), JobError.of("boom"), null);
        JobRecord sameSequence = queued.moveTo(JobState.SUBMITTED, queued.createdAt(), null, null);

        store.save(failed);

        assertThat(store.save(queued)).isFalse();
        assertThat(store.save(sameSequence)).isFalse();
        assertThat(store.find(queued.jobId())).contains(failed);
    }

    @Test
    void finishedJobsExpireAfterTheRetentionAndRunningOnesDoNot() {
        JobRecord queued = job("a", "s", null, 0);
        store.save(queued);
        assertThat(redis.getExpire(prefix + ":job:" + queued.jobId())).isEqualTo(-1L);

        store.save(queued.moveTo(JobState.SUCCEEDED, queued.createdAt(), null, null));

        assertThat(redis.getExpire(prefix + ":job:" + queued.jobId()))
                .isBetween(
                        Duration.ofDays(7).toSeconds() - 5, Duration.ofDays(7).toSeconds());
    }

    @Test
    void listingIsNewestFirstAndFiltered() {
        JobRecord first = job("duckdb", "alice", null, 1);
        JobRecord second = job("local-python", "alice", null, 2);
        JobRecord third = job("duckdb", "bob", null, 3);
        JobRecord fourth =
                job("duckdb", "alice", null, 4).moveTo(JobState.SUBMITTED, Instant.EPOCH.plusSeconds(4), null, null);
        for (JobRecord record : new JobRecord[] {first, second, third, fourth}) {
            store.save(record);
        }

        assertThat(store.list(new JobQuery(null, null, null, 10))).containsExactly(fourth, third, second, first);
        assertThat(store.list(new JobQuery("alice", null, null, 10))).containsExactly(fourth, second, first);
        assertThat(store.list(new JobQuery("alice", null, "duckdb", 10))).containsExactly(fourth, first);
        assertThat(store.list(new JobQuery(null, JobState.QUEUED, "duckdb", 10)))
                .containsExactly(third, first);
        assertThat(store.list(new JobQuery(null, null, null, 2))).containsExactly(fourth, third);
    }

    @Test
    void listingSkipsAndForgetsExpiredJobs() {
        JobRecord kept = job("duckdb", "s", null, 1);
        JobRecord expired = job("duckdb", "s", null, 2);
        store.save(kept);
        store.save(expired);

        redis.delete(prefix + ":job:" + expired.jobId());

        assertThat(store.list(new JobQuery("s", null, null, 10))).containsExactly(kept);
        assertThat(redis.opsForZSet().score(prefix + ":jobs:source:s", expired.jobId()))
                .isNull();
    }

    @Test
    void childrenAreListedUnderTheirParentOldestFirst() {
        JobRecord parent = job("local-python", "s", null, 1);
        JobRecord firstChild = job("duckdb", "s", parent.jobId(), 2);
        JobRecord secondChild = job("duckdb", "s", parent.jobId(), 3);
        store.save(parent);
        store.save(secondChild);
        store.save(firstChild);
        store.save(firstChild.moveTo(JobState.SUBMITTED, firstChild.createdAt(), null, null));

        assertThat(store.children(parent.jobId())).containsExactly(firstChild.jobId(), secondChild.jobId());
        assertThat(store.children(firstChild.jobId())).isEmpty();

        // Read with the record in one round trip: the same answers.
        assertThat(store.findWithChildren(parent.jobId())).hasValueSatisfying(stored -> {
            assertThat(stored.record()).isEqualTo(parent);
            assertThat(stored.children()).containsExactly(firstChild.jobId(), secondChild.jobId());
        });
        assertThat(store.findWithChildren(firstChild.jobId())).hasValueSatisfying(stored -> {
            assertThat(stored.record().state()).isEqualTo(JobState.SUBMITTED);
            assertThat(stored.children()).isEmpty();
        });
        assertThat(store.findWithChildren("no-such-job")).isEmpty();
    }

    private static JobRecord job(String driver, String source, String parent, long createdSecond) {
        JobSpec spec = new JobSpec(
                "select 1",
                driver,
                OutputFormat.CSV,
                source,
                null,
                null,
                null,
                JobSpec.DEFAULT_PRIORITY,
                Duration.ofHours(1),
                Map.of(),
                parent);
        return JobRecord.accepted(UUID.randomUUID().toString(), spec, Instant.EPOCH.plusSeconds(createdSecond));
    }
}
