package dev.hubble.dev;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Temporal test server's log of time locks from growing for ever.
 *
 * <p>The test server's clock ({@code SelfAdvancingTimerImpl} in temporal-test-server 1.38.0)
 * appends an entry to a {@code LinkedList} for every lock and unlock of time skipping: one pair for
 * every workflow task, activity task and signal, kept for its diagnostics. Only the entries of
 * locks taken through a handle are ever removed, by a {@code remove(Object)} that walks the list
 * from its oldest entry. So the list holds two entries for every task the server ever ran, and
 * every update of a workflow (each takes and releases such a handle) walks all of them: a server
 * that has run a few thousand jobs spends more CPU walking that list than running the jobs, and
 * its memory grows with every task. Hubble's local stack runs for days on this server.
 *
 * <p>The list is only read to print diagnostics of unbalanced locks; the lock count that decides
 * when time may skip is kept apart from it. This replaces it with a list that keeps nothing. If a
 * later test server no longer has the field, nothing is replaced and a warning says so: after an
 * upgrade, check whether the test server still keeps this log.
 */
final class UnloggedTimeLocks {

    private static final Logger log = LoggerFactory.getLogger(UnloggedTimeLocks.class);

    private UnloggedTimeLocks() {}

    /** Replaces the time-lock log of {@code services}' clock; call before the server takes calls. */
    static void apply(TestServicesStarter services) {
        try {
            Object clock = field(services.getClass(), "selfAdvancingTimer").get(services);
            Field events = field(clock.getClass(), "lockEvents");
            if (events.getType() != LinkedList.class) {
                throw new NoSuchFieldException(
                        "lockEvents is a " + events.getType().getName());
            }
            Lock lock = (Lock) field(clock.getClass(), "lock").get(clock);
            lock.lock(); // the clock reads the field under this lock: it sees the new list from now on
            try {
                events.set(clock, new KeepsNothing<>());
            } finally {
                lock.unlock();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "The Temporal test server keeps its time-lock log as before ({}); it slows down as it runs more"
                            + " workflows",
                    e.toString());
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** A list that takes every entry and keeps none; any entry asked to be removed was there. */
    private static final class KeepsNothing<E> extends LinkedList<E> {

        @Override
        public boolean add(E entry) {
            return true;
        }

        @Override
        public boolean remove(Object entry) {
            return true;
        }
    }
}
