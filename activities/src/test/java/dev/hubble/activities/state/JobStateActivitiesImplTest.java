package dev.hubble.activities.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.activities.events.StatusEventException;
import dev.hubble.activities.events.StatusEvents;
import dev.hubble.core.job.JobRecord;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

class JobStateActivitiesImplTest {

    private final List<String> calls = new ArrayList<>();
    private final JobRecord record = JobRecord.accepted(
                    "0b6f3f0e-5d1a-4c7e-9a51-2f8e6d1c0a11",
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
                    Instant.parse("2030-01-01T00:00:00Z"))
            .recordedAgain(Instant.parse("2030-01-01T00:00:01Z"));

    @Test
    void transitionIsStoredBeforeItsEventIsSent() {
        assertThat(activities(store(true), events(null)).storeAndTryPublish(record))
                .isTrue();

        assertThat(calls).containsExactly("save " + record.sequence(), "publish " + record.sequence());
    }

    @Test
    void transitionTheStoreAlreadyHasIsSentAgain() {
        activities(store(false), events(null)).storeAndTryPublish(record);

        assertThat(calls).containsExactly("save 1", "publish 1");
    }

    @Test
    void unsentEventIsReportedSoThatItIsSentWithRetriesAndAFailedPublishIsRetriedByTemporal() {
        StatusEventException brokerDown = new StatusEventException("broker down", null);

        assertThat(activities(store(true), events(brokerDown)).storeAndTryPublish(record))
                .as("stored, its event not sent")
                .isFalse();
        assertThatThrownBy(() -> activities(store(true), events(brokerDown)).publish(record))
                .isSameAs(brokerDown);
        assertThat(calls).containsExactly("save 1", "publish 1", "publish 1");
    }

    @Test
    void unstoredTransitionSendsNoEvent() {
        JobStore down = new FakeStore(() -> {
            throw new RedisConnectionFailureException("down");
        });

        assertThatThrownBy(() -> activities(down, events(null)).storeAndTryPublish(record))
                .isInstanceOf(RedisConnectionFailureException.class);
        assertThatThrownBy(() -> activities(down, events(null)).store(record))
                .isInstanceOf(RedisConnectionFailureException.class);
        assertThat(calls).isEmpty();
    }

    private static JobStateActivitiesImpl activities(JobStore store, StatusEvents events) {
        return new JobStateActivitiesImpl(store, events);
    }

    private JobStore store(boolean saves) {
        return new FakeStore(() -> saves);
    }

    private StatusEvents events(RuntimeException failure) {
        return published -> {
            calls.add("publish " + published.sequence());
            if (failure != null) {
                throw failure;
            }
        };
    }

    private final class FakeStore implements JobStore {

        private final BooleanSupplier outcome;

        FakeStore(BooleanSupplier outcome) {
            this.outcome = outcome;
        }

        @Override
        public boolean save(JobRecord saved) {
            boolean result = outcome.getAsBoolean();
            calls.add("save " + saved.sequence());
            return result;
        }

        @Override
        public Optional<JobRecord> find(String jobId) {
            return Optional.empty();
        }

        @Override
        public List<JobRecord> list(JobQuery query) {
            return List.of();
        }

        @Override
        public List<String> children(String jobId) {
            return List.of();
        }
    }
}
