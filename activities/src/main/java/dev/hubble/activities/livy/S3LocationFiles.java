package dev.hubble.activities.livy;

import dev.hubble.core.results.s3.S3ResultStore;
import java.net.URI;
import java.util.Optional;

/**
 * {@link LocationFiles} for {@code s3:} locations, through the S3 result store's client (its
 * bucket, endpoint, path style and credentials): the worker stages {@code _job.json} with a PUT
 * and reads the outcome files with a GET. Spark reads and writes the same objects through its own
 * file system ({@code s3://} on EMR, {@code s3a://} elsewhere; spark-job picks).
 */
public final class S3LocationFiles implements LocationFiles {

    private final S3ResultStore store;

    public S3LocationFiles(S3ResultStore store) {
        this.store = store;
    }

    @Override
    public boolean supports(URI location) {
        return "s3".equals(location.getScheme());
    }

    /** One PUT: S3 shows a reader the old object or the new one, never half of it. */
    @Override
    public void write(URI location, String name, byte[] content) {
        store.write(location, name, content);
    }

    @Override
    public Optional<byte[]> read(URI location, String name) {
        return store.read(location, name);
    }
}
