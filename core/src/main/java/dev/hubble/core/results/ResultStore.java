package dev.hubble.core.results;

import dev.hubble.core.job.ResultFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.lang.Nullable;

/**
 * One kind of storage for result files, e.g. S3 or a local directory: where a job's files go,
 * how they are listed, and how a link to one of them is signed. Each store serves the locations
 * of one URI scheme; {@link ResultStores} picks the store of a location by its scheme.
 *
 * <p>Implementations are thread-safe, and every method may be called again after a failure.
 * Errors: {@link ResultStoreRefusedException} when the store refuses for a reason retrying cannot
 * fix (no such bucket, credentials refused); any other exception is transient.
 */
public interface ResultStore {

    /** The store's name in configuration: {@code s3}, {@code local}. */
    String name();

    /** The URI scheme of this store's locations: {@code s3}, {@code file}. */
    String scheme();

    /** The location of a new job's result files, a URI prefix ending in {@code /}. */
    URI locationFor(String jobId);

    /**
     * The local directory behind {@code location}, when an engine on this machine can write
     * into it directly; empty when files must be uploaded ({@link #upload}).
     */
    Optional<Path> directory(URI location);

    /**
     * Makes {@code location} ready to be written: creates a directory, or checks that the bucket
     * exists and takes our credentials, so that a job whose results could never be stored fails
     * before it runs.
     */
    void prepare(URI location);

    /**
     * Result files under {@code location} whose names sort after {@code after}, in name order, at
     * most {@code limit}. Names are relative to the location; a file whose name, or the name of a
     * folder it is in, starts with {@code _} or {@code .} is not a result (markers, logs,
     * temporary files).
     */
    ResultPage list(URI location, @Nullable String after, int limit);

    /**
     * A fresh link that downloads {@code file} of job {@code jobId} from {@code location}.
     *
     * @param apiBaseUrl the public base URL of Hubble's API, for stores whose links the API serves
     */
    SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl);

    /**
     * Copies every file under the local directory {@code dir} to {@code location}, keeping their
     * relative names, streaming from disk. Files already there with the same size are skipped,
     * so a retried upload continues where the last one stopped.
     */
    default void upload(Path dir, URI location) {
        upload(dir, location, true);
    }

    /**
     * Like {@link #upload(Path, URI)}; with {@code resume} false, files already under {@code
     * location} are not looked for first and every file is copied: one request less for a first
     * attempt, which finds nothing there (a file copied again is replaced by the same bytes).
     */
    void upload(Path dir, URI location, boolean resume);
}
