package dev.hubble.core.results.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.springframework.util.unit.DataSize;

/**
 * One in-memory S3Proxy per test JVM, on a free 127.0.0.1 port: a real S3 server that checks
 * SigV4 signatures and the expiry of presigned links. Tests use their own buckets.
 */
final class S3ProxyFixture {

    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key-of-some-length";

    private static S3Proxy proxy;
    private static BlobStore blobs;

    private S3ProxyFixture() {}

    static synchronized URI endpoint() {
        if (proxy == null) {
            blobs = ContextBuilder.newBuilder("transient")
                    .credentials("identity", "credential")
                    .overrides(new Properties())
                    .build(BlobStoreContext.class)
                    .getBlobStore();
            proxy = S3Proxy.builder()
                    .blobStore(blobs)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(true)
                    .v4MaxNonChunkedRequestSize(DataSize.ofMegabytes(64).toBytes())
                    .build();
            try {
                proxy.start();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start", e);
            }
        }
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Creates {@code bucket} and returns it. */
    static String bucket(String bucket) {
        endpoint();
        blobs.createContainerInLocation(null, bucket);
        return bucket;
    }

    /** Properties of a store on the fixture's server. */
    static S3ResultsProperties properties(String bucket, Duration linkTtl) {
        return new S3ResultsProperties(
                bucket,
                "hubble/",
                null,
                endpoint(),
                true,
                linkTtl,
                DataSize.ofMegabytes(5),
                ACCESS_KEY,
                SECRET_KEY,
                null);
    }
}
