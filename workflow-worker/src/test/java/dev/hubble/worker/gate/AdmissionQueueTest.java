package dev.hubble.worker.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubble.core.gate.GatePolicy;
import dev.hubble.core.gate.PermitRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final GatePolicy ANY = GatePolicy.of(100);

    private final AdmissionQueue queue = new AdmissionQueue();
    private final Map<String, Integer> held = new HashMap<>();

    private static PermitRequest job(String id, int priority, String source, int acceptedSecond) {
        return new PermitRequest(id, priority, T0.plusSeconds(1_000), source, T0.plusSeconds(acceptedSecond));
    }

    private List<String> drain(GatePolicy policy) {
        List<String> order = new ArrayList<>();
        for (PermitRequest next = queue.poll(policy, this::heldBy);
                next != null;
                next = queue.poll(policy, this::heldBy)) {
            order.add(next.jobId());
        }
        return order;
    }

    private int heldBy(String source) {
        return held.getOrDefault(source, 0);
    }

    @Test
    void grantsInAcceptanceOrderWhateverOrderTheRequestsArrivedIn() {
        List<PermitRequest> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            jobs.add(job(String.format("job-%03d", i), 5, "experiments", i));
        }
        List<PermitRequest> arrivals = new ArrayList<>(jobs);
        Collections.shuffle(arrivals, new Random(42));
        arrivals.forEach(queue::add);

        assertThat(queue.inGrantOrder(ANY))
                .as("the queue's order, as a snapshot shows it")
                .containsExactlyElementsOf(jobs);
        assertThat(drain(ANY))
                .containsExactlyElementsOf(
                        jobs.stream().map(PermitRequest::jobId).toList());
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void equalAcceptanceTimesAreBrokenByJobId() {
        queue.add(job("b", 5, "s", 1));
        queue.add(job("a", 5, "s", 1));
        queue.add(job("c", 5, "s", 0));

        assertThat(drain(ANY)).containsExactly("c", "a", "b");
    }

    @Test
    void higherPriorityWinsOverFairnessAndAcceptanceOrder() {
        queue.add(job("low-early", 1, "a", 0));
        queue.add(job("high-late", 9, "b", 50));
        queue.add(job("mid", 5, "a", 10));
        queue.add(job("high-later", 9, "b", 60));

        assertThat(drain(ANY)).containsExactly("high-late", "high-later", "mid", "low-early");
    }

    @Test
    void sourcesTakeTurnsSoALateSmallSourceIsNotHeldBackByAnEarlyBigOne() {
        for (int i = 0; i < 500; i++) {
            queue.add(job(String.format("big-%03d", i), 5, "big", i));
        }
        for (int i = 0; i < 20; i++) {
            drainOne(); // the big source had the gate to itself for a while
        }
        for (int i = 0; i < 5; i++) {
            queue.add(job("small-" + i, 5, "small", 1_000 + i));
        }

        List<String> next = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            next.add(drainOne());
        }
        assertThat(next.stream().filter(id -> id.startsWith("small")))
                .as("the small source's jobs, each of them within the next ten grants")
                .containsExactly("small-0", "small-1", "small-2", "small-3", "small-4");
        assertThat(next.stream().filter(id -> id.startsWith("big")))
                .as("the big source keeps its own order")
                .containsExactly("big-020", "big-021", "big-022", "big-023", "big-024");
    }

    @Test
    void weightsShareTheTurnsInProportion() {
        GatePolicy weighted = new GatePolicy(100, 0, new TreeMap<>(Map.of("heavy", 3)));
        for (int i = 0; i < 40; i++) {
            queue.add(job("heavy-" + i, 5, "heavy", i));
            queue.add(job("light-" + i, 5, "light", i));
        }

        List<String> first = drain(weighted).subList(0, 40);

        assertThat(first.stream().filter(id -> id.startsWith("heavy")).count()).isEqualTo(30);
        assertThat(first.stream().filter(id -> id.startsWith("light")).count()).isEqualTo(10);
    }

    @Test
    void aSourceAtItsShareWaitsWhileOthersAreGranted() {
        GatePolicy capped = new GatePolicy(10, 2, new TreeMap<>());
        queue.add(job("a-1", 5, "a", 0));
        queue.add(job("a-2", 5, "a", 1));
        queue.add(job("b-1", 5, "b", 2));
        held.put("a", 2);

        assertThat(queue.hasGrantable(capped, this::heldBy)).isTrue();
        assertThat(queue.poll(capped, this::heldBy).jobId()).isEqualTo("b-1");
        assertThat(queue.hasGrantable(capped, this::heldBy))
                .as("only a's jobs wait")
                .isFalse();
        assertThat(queue.poll(capped, this::heldBy)).isNull();

        held.put("a", 1);
        assertThat(queue.poll(capped, this::heldBy).jobId()).isEqualTo("a-1");
        assertThat(queue.inGrantOrder(capped))
                .as("the place in line ignores the share")
                .extracting(PermitRequest::jobId)
                .containsExactly("a-2");
    }

    @Test
    void aSourceThatStartsWaitingJoinsTheRotationWithoutClaimingMissedTurns() {
        for (int i = 0; i < 10; i++) {
            queue.add(job("a-" + i, 5, "a", i));
            queue.add(job("b-" + i, 5, "b", i));
        }
        for (int i = 0; i < 10; i++) {
            drainOne();
        }
        for (int i = 0; i < 10; i++) {
            queue.add(job("c-" + i, 5, "c", 100 + i));
        }

        List<String> next = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            next.add(drainOne().substring(0, 1));
        }
        assertThat(next).as("three sources, three turns each").containsOnly("a", "b", "c");
        assertThat(next.stream().filter("c"::equals).count()).isEqualTo(3);
    }

    @Test
    void replaceKeepsTheJobsPlaceAndRemoveTakesItOut() {
        queue.add(job("a", 5, "s", 0));
        queue.add(job("b", 5, "s", 1));
        queue.add(job("c", 5, "s", 2));

        queue.replace(job("a", 5, "s", 0).askedAt(T0.plusSeconds(5_000)));
        assertThat(queue.get("a").requestedAt()).isEqualTo(T0.plusSeconds(5_000));
        assertThat(queue.remove("b")).isTrue();
        assertThat(queue.remove("b")).isFalse();
        queue.add(job("c", 5, "s", 2)); // already waiting: nothing changes

        assertThat(queue.size()).isEqualTo(2);
        assertThat(drain(ANY)).containsExactly("a", "c");
    }

    private String drainOne() {
        return queue.poll(ANY, this::heldBy).jobId();
    }
}
