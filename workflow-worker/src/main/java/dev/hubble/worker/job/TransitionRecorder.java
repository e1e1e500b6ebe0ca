package dev.hubble.worker.job;

import dev.hubble.core.job.JobRecord;
import dev.hubble.core.temporal.JobStateActivities;
import dev.hubble.worker.ActivityStubs;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Records a job's transitions where its readers find them, in the order they happened, while the
 * job carries on. Workflow code: one per workflow run.
 *
 * <p>Two workflow threads, both outside every cancellation scope. The <em>store</em> thread
 * stores each transition (Redis) as soon as it happens, and, while no event is waiting to be sent,
 * sends its status event in the same step: one local activity, one attempt, one marker in the
 * history. A store that fails is retried by an ordinary activity (the server retries it while the
 * job carries on, and no workflow task is held open). An event that cannot be sent (Kafka down)
 * goes to the <em>publish</em> thread, which sends the waiting events one after another, in order,
 * each with a retried activity until Kafka takes it; later transitions are still stored at once
 * and queue behind it for their events. So a status read shows every transition within moments
 * whatever Kafka does, and subscribers get every event, in order.
 *
 * <p>The workflow ends only once {@link #isDone}; a run that continues as new hands {@link
 * #pending} to the next, which records them again (storing is idempotent; an event sent twice
 * has the same id).
 */
final class TransitionRecorder {

    private static final Logger log = Workflow.getLogger(TransitionRecorder.class);

    /** One quick attempt, a marker in the history; never holds the workflow task open for long. */
    private final JobStateActivities local = ActivityStubs.statesOnce();
    /** Retried until it succeeds, by the server, while the job carries on. */
    private final JobStateActivities durable = ActivityStubs.statesUntilDone();

    /** Transitions not stored yet, oldest first. */
    private final List<JobRecord> unstored = new ArrayList<>();
    /** Transitions stored whose events have not been sent, oldest first. */
    private final List<JobRecord> unpublished = new ArrayList<>();

    /** A recorder that first records {@code pending}, handed over by the run before. */
    TransitionRecorder(List<JobRecord> pending) {
        unstored.addAll(pending);
    }

    /** Starts the two threads; call once, from the workflow method. */
    void start() {
        Workflow.newDetachedCancellationScope(() -> {
                    Async.procedure(this::storeLoop);
                    Async.procedure(this::publishLoop);
                })
                .run();
    }

    /** Has {@code transition} recorded after every transition added before it. */
    void add(JobRecord transition) {
        unstored.add(transition);
    }

    /** Whether every transition added so far is stored and its event sent. */
    boolean isDone() {
        return unstored.isEmpty() && unpublished.isEmpty();
    }

    /** Waits until {@link #isDone}, whatever happens to the workflow meanwhile. */
    void awaitDone() {
        Workflow.newDetachedCancellationScope(() -> Workflow.await(this::isDone))
                .run();
    }

    /** The transitions not completely recorded, oldest first, for the next run. */
    List<JobRecord> pending() {
        List<JobRecord> pending = new ArrayList<>(unpublished);
        pending.addAll(unstored);
        return pending;
    }

    private void storeLoop() {
        while (true) {
            Workflow.await(() -> !unstored.isEmpty());
            JobRecord next = unstored.get(0);
            boolean published;
            try {
                // Every earlier event has been sent when none waits, so this one may go now, in order.
                published = unpublished.isEmpty() ? local.storeAndTryPublish(next) : storeQuickly(next);
            } catch (ActivityFailure failure) {
                log.warn(
                        "Storing a transition of job {} failed, storing it with retries: {}",
                        next.jobId(),
                        JobFailures.messageOf(failure));
                storeDurably(next);
                published = false;
            }
            if (!published) {
                unpublished.add(next);
            }
            unstored.remove(0);
        }
    }

    private boolean storeQuickly(JobRecord next) {
        local.store(next);
        return false;
    }

    private void storeDurably(JobRecord next) {
        while (true) {
            try {
                durable.store(next);
                return;
            } catch (ActivityFailure failure) {
                // Retries are unlimited, so this is not expected; store it again.
                log.warn(
                        "Storing a transition of job {} failed, trying again: {}",
                        next.jobId(),
                        JobFailures.messageOf(failure));
            }
        }
    }

    private void publishLoop() {
        while (true) {
            Workflow.await(() -> !unpublished.isEmpty());
            JobRecord next = unpublished.get(0);
            try {
                durable.publish(next);
                unpublished.remove(0);
            } catch (ActivityFailure failure) {
                log.warn(
                        "Sending a status event of job {} failed, trying again: {}",
                        next.jobId(),
                        JobFailures.messageOf(failure));
            }
        }
    }
}
