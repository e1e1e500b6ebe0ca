package dev.hubble.core.results.s3;

import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultNames;
import dev.hubble.core.results.ResultPage;
import dev.hubble.core.results.ResultStore;
import dev.hubble.core.results.ResultStoreRefusedException;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.SignedLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * Result files in S3, under {@code s3://<bucket>/<prefix>jobs/<jobId>/}, downloaded through
 * presigned GETs that name the file to save as. Listing pages through any number of files.
 * Uploads stream from disk, in parts of {@code part-size} above that size, several at once: a
 * large result never sits in memory.
 *
 * <p>Errors: S3's 4xx answers other than throttling (no such bucket, access denied, credentials
 * refused) are {@link ResultStoreRefusedException}s carrying S3's own message; anything else
 * (5xx, network) is left to the caller to retry, after the SDK's own retries. Thread-safe.
 */
public final class S3ResultStore implements ResultStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3ResultStore.class);

    /** Uploads in flight at once; each large one is further split into parts. */
    private static final int PARALLEL_UPLOADS = 32;
    /** Keys per ListObjectsV2 call: S3's maximum. */
    private static final int LIST_PAGE = 1000;
    /** How long a bucket found writable is taken to stay so. */
    private static final Duration BUCKET_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final S3ResultsProperties properties;
    private final S3Client client;
    private final S3AsyncClient asyncClient;
    private final S3TransferManager transfers;
    private final S3Presigner presigner;
    /** When each bucket was last found writable. */
    private final Map<String, Instant> checkedBuckets = new ConcurrentHashMap<>();

    public S3ResultStore(S3ResultsProperties properties) {
        this.properties = properties;
        AwsCredentialsProvider credentials = properties.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(properties.accessKeyId(), properties.secretAccessKey()));
        Region region = properties.region() != null
                ? Region.of(properties.region())
                : properties.endpoint() != null ? Region.US_EAST_1 : null;

        S3ClientBuilder sync = S3Client.builder()
                .credentialsProvider(credentials)
                .forcePathStyle(properties.pathStyleAccess())
                // S3-compatible stores (S3Proxy, older MinIO) refuse the SDK's default checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        long partSize = properties.partSize().toBytes();
        S3AsyncClientBuilder async = S3AsyncClient.builder()
                .credentialsProvider(credentials)
                .forcePathStyle(properties.pathStyleAccess())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder()
                        .thresholdInBytes(partSize)
                        .minimumPartSizeInBytes(partSize)
                        .build());
        S3Presigner.Builder presign = S3Presigner.builder()
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(properties.pathStyleAccess())
                        .build());
        if (region != null) {
            sync.region(region);
            async.region(region);
            presign.region(region);
        }
        if (properties.endpoint() != null) {
            sync.endpointOverride(properties.endpoint());
            async.endpointOverride(properties.endpoint());
        }
        URI linkEndpoint = properties.publicEndpoint() != null ? properties.publicEndpoint() : properties.endpoint();
        if (linkEndpoint != null) {
            presign.endpointOverride(linkEndpoint);
        }
        this.client = sync.build();
        this.asyncClient = async.build();
        this.transfers = S3TransferManager.builder().s3Client(asyncClient).build();
        this.presigner = presign.build();
    }

    @Override
    public String name() {
        return ResultStores.S3;
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public URI locationFor(String jobId) {
        if (jobId.isBlank() || jobId.contains("/")) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        return location(properties.bucket(), properties.prefix() + "jobs/" + jobId + "/");
    }

    @Override
    public Optional<Path> directory(URI location) {
        return Optional.empty();
    }

    /**
     * Checks that the bucket exists and takes our credentials, at most once a minute per bucket
     * while it does: a burst of jobs costs one request, not one each. A bucket that goes away
     * after a check still fails its jobs, at upload, with S3's reason.
     */
    @Override
    public void prepare(URI location) {
        Target target = Target.of(location);
        Instant checked = checkedBuckets.get(target.bucket());
        if (checked != null && checked.plus(BUCKET_CHECK_INTERVAL).isAfter(Instant.now())) {
            return;
        }
        try {
            client.listObjectsV2(
                    b -> b.bucket(target.bucket()).prefix(target.prefix()).maxKeys(1));
        } catch (SdkException e) {
            checkedBuckets.remove(target.bucket());
            throw translate(e, location, "list");
        }
        checkedBuckets.put(target.bucket(), Instant.now());
    }

    @Override
    public ResultPage list(URI location, @Nullable String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        Target target = Target.of(location);
        List<ResultFile> files = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(target.bucket())
                .prefix(target.prefix())
                .maxKeys(LIST_PAGE);
        if (after != null) {
            request.startAfter(target.prefix() + after);
        }
        try {
            while (true) {
                ListObjectsV2Response response = client.listObjectsV2(request.build());
                for (S3Object object : response.contents()) {
                    String name = object.key().substring(target.prefix().length());
                    if (ResultNames.isResult(name)) {
                        files.add(new ResultFile(name, object.size()));
                        if (files.size() > limit) {
                            return new ResultPage(
                                    files.subList(0, limit),
                                    files.get(limit - 1).name());
                        }
                    }
                }
                if (!Boolean.TRUE.equals(response.isTruncated())) {
                    return new ResultPage(files, null);
                }
                // S3 ignores start-after once there is a continuation token; S3Proxy refuses both.
                request.startAfter(null).continuationToken(response.nextContinuationToken());
            }
        } catch (SdkException e) {
            throw translate(e, location, "list");
        }
    }

    @Override
    public SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl) {
        Target target = Target.of(location);
        PresignedGetObjectRequest presigned = presigner.presignGetObject(p -> p.signatureDuration(properties.linkTtl())
                .getObjectRequest(g -> g.bucket(target.bucket())
                        .key(target.prefix() + file.name())
                        .responseContentDisposition(attachment(ResultNames.fileName(file.name())))));
        try {
            return new SignedLink(presigned.url().toURI(), presigned.expiration());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned a URL that is not a URI", e);
        }
    }

    /**
     * The content of the small object {@code name} under {@code location} (a marker or outcome
     * file a job leaves, read whole into memory), empty when there is none.
     */
    public Optional<byte[]> read(URI location, String name) {
        Target target = Target.of(location);
        try {
            return Optional.of(
                    client.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.prefix() + name))
                            .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw translate(e, location, "read " + name + " in");
        }
    }

    /** Writes the small object {@code name} under {@code location} in one PUT, replacing what is there. */
    public void write(URI location, String name, byte[] content) {
        Target target = Target.of(location);
        try {
            client.putObject(
                    b -> b.bucket(target.bucket())
                            .key(target.prefix() + name)
                            .contentType(name.endsWith(".json") ? "application/json" : ResultNames.mediaType(name)),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw translate(e, location, "write " + name + " into");
        }
    }

    @Override
    public void upload(Path dir, URI location, boolean resume) {
        Target target = Target.of(location);
        Map<String, Long> existing = resume ? existingObjects(target, location) : Map.of();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        // A window of uploads in flight: a new one starts as soon as any finishes.
        Semaphore window = new Semaphore(PARALLEL_UPLOADS);
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<?>> uploads = new ArrayList<>();
        int uploaded = 0;
        try {
            for (Path file : files) {
                String key = target.prefix() + dir.relativize(file).toString().replace('\\', '/');
                long size = size(file);
                if (existing.containsKey(key) && existing.get(key) == size) {
                    continue;
                }
                window.acquire();
                if (failed.get()) {
                    break; // awaitAll reports the failure
                }
                CompletableFuture<?> upload = transfers
                        .uploadFile(UploadFileRequest.builder()
                                .putObjectRequest(
                                        b -> b.bucket(target.bucket()).key(key).contentType(ResultNames.mediaType(key)))
                                .source(file)
                                .build())
                        .completionFuture();
                upload.whenComplete((done, failure) -> {
                    failed.compareAndSet(false, failure != null);
                    window.release();
                });
                uploads.add(upload);
                uploaded++;
            }
        } catch (InterruptedException e) {
            uploads.forEach(u -> u.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading to " + location, e);
        }
        awaitAll(uploads, location);
        log.debug("Uploaded {} of {} files to {}", uploaded, files.size(), location);
    }

    @Override
    public void close() {
        transfers.close();
        asyncClient.close();
        presigner.close();
        client.close();
    }

    private Map<String, Long> existingObjects(Target target, URI location) {
        Map<String, Long> sizes = new HashMap<>();
        try {
            client.listObjectsV2Paginator(b ->
                            b.bucket(target.bucket()).prefix(target.prefix()).maxKeys(LIST_PAGE))
                    .contents()
                    .forEach(object -> sizes.put(object.key(), object.size()));
        } catch (SdkException e) {
            throw translate(e, location, "list");
        }
        return sizes;
    }

    private void awaitAll(List<CompletableFuture<?>> futures, URI location) {
        try {
            for (CompletableFuture<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause =
                    e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof SdkException sdk) {
                throw translate(sdk, location, "upload to");
            }
            throw new IllegalStateException("upload to " + location + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading to " + location, e);
        } finally {
            futures.clear();
        }
    }

    /**
     * S3's refusals that retrying cannot fix as {@link ResultStoreRefusedException}, in S3's own
     * words; everything else as it is, to be retried.
     */
    static RuntimeException translate(SdkException e, URI location, String action) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s3 && isPermanent(s3.statusCode())) {
                String code = s3.awsErrorDetails() == null
                        ? null
                        : s3.awsErrorDetails().errorCode();
                String message =
                        s3.awsErrorDetails() == null || s3.awsErrorDetails().errorMessage() == null
                                ? "HTTP " + s3.statusCode()
                                : s3.awsErrorDetails().errorMessage();
                return new ResultStoreRefusedException(
                        "S3 refused to " + action + " the job's result location " + location + ": " + message
                                + (code == null ? "" : " (" + code + ")"),
                        e);
            }
        }
        return e;
    }

    private static boolean isPermanent(int status) {
        return status >= 300 && status < 500 && status != 408 && status != 429;
    }

    private static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9._ -]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI location(String bucket, String prefix) {
        return URI.create("s3://" + bucket + "/" + prefix);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A location's bucket and key prefix. */
    private record Target(String bucket, String prefix) {

        static Target of(URI location) {
            if (!"s3".equals(location.getScheme()) || location.getAuthority() == null) {
                throw new IllegalArgumentException("not an S3 result location: " + location);
            }
            String path = location.getPath() == null ? "" : location.getPath();
            String prefix = path.startsWith("/") ? path.substring(1) : path;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            return new Target(location.getAuthority(), prefix);
        }
    }
}
