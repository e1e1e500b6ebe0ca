package dev.hubble.activities.livy;

import java.net.URI;
import java.util.Optional;

/**
 * Small files in a job's result location, read and written by the worker: the staged
 * {@code _job.json} that spark-job reads, and the {@code _RESULT.json} / {@code _ERROR.json} it
 * leaves. One implementation per location scheme; {@link LocalLocationFiles} serves
 * {@code file:}, and a store for {@code s3:} locations adds its own bean.
 *
 * <p>Implementations are thread-safe. Errors reaching the store are thrown as unchecked
 * exceptions and taken as transient.
 */
public interface LocationFiles {

    /** Whether this implementation serves locations like {@code location} (by its scheme). */
    boolean supports(URI location);

    /** Writes {@code name} under {@code location}, replacing what is there. */
    void write(URI location, String name, byte[] content);

    /** The content of {@code name} under {@code location}, empty when there is no such file. */
    Optional<byte[]> read(URI location, String name);

    /** The URI of {@code name} under {@code location}, as Spark (Hadoop) reads it. */
    default URI resolve(URI location, String name) {
        String base = location.toString();
        return URI.create(base.endsWith("/") ? base + name : base + "/" + name);
    }
}
