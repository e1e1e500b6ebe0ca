package dev.hubble.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The local stack's S3: S3Proxy over a directory ({@code filesystem-nio2}), listening on the
 * stack's bind address (127.0.0.1 unless told otherwise). It checks SigV4 signatures and the expiry of presigned links as S3 does, so
 * the links the stack hands out behave like production's.
 */
final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext blobs;
    private final String connectHost;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext blobs, String connectHost) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.connectHost = connectHost;
    }

    /**
     * Starts S3 on {@code bindHost}:{@code port} (a host as a URI writes it), its objects under
     * {@code dir}, with one bucket {@code bucket} and the one key pair it accepts; clients reach
     * it at {@code connectHost}.
     */
    static EmbeddedS3 start(
            String bindHost,
            String connectHost,
            int port,
            Path dir,
            String bucket,
            String accessKey,
            String secretKey) {
        BlobStoreContext blobs;
        try {
            Files.createDirectories(dir);
            Properties settings = new Properties();
            settings.setProperty("jclouds.filesystem.basedir", dir.toString());
            blobs = ContextBuilder.newBuilder("filesystem-nio2")
                    .credentials("local", "local")
                    .overrides(settings)
                    .build(BlobStoreContext.class);
            blobs.getBlobStore().createContainerInLocation(null, bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 data directory " + dir, e);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://" + bindHost + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // The SDK sends headers S3Proxy does not know; without this, multipart uploads fail.
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            blobs.close();
            throw new IllegalStateException("cannot start S3 on " + bindHost + ":" + port, e);
        }
        return new EmbeddedS3(proxy, blobs, connectHost);
    }

    /** Where clients reach it. */
    URI endpoint() {
        return URI.create("http://" + connectHost + ":" + proxy.getPort());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 did not stop cleanly", e);
        } finally {
            blobs.close();
        }
    }
}
