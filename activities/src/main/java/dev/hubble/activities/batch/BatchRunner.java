package dev.hubble.activities.batch;

import dev.hubble.activities.runner.JobEnvironment;
import dev.hubble.activities.runner.JobRejectedException;
import dev.hubble.activities.runner.JobRunner;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.PythonJobNames;
import dev.hubble.core.security.JobTokens;
import dev.hubble.core.temporal.RemoteDetails;
import dev.hubble.core.temporal.RemotePhase;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.ClientException;
import software.amazon.awssdk.services.batch.model.ContainerDetail;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobSummary;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.KeyValuesPair;
import software.amazon.awssdk.services.batch.model.ResourceRequirement;
import software.amazon.awssdk.services.batch.model.ResourceType;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Runs Python jobs as AWS Batch container jobs. A job's {@code query} names a job of the
 * catalog ({@code hubble.drivers.python.jobs.<name>}), which names a registered job definition
 * (its image, command, role); an unknown name is refused with the list of known ones.
 *
 * <p><b>Submit.</b> {@code SubmitJob} on the job's queue with the job name
 * {@code <job-name-prefix><job id>}, the tags {@value #TAG_JOB_ID}, {@value #TAG_SOURCE} and
 * {@value #TAG_JOB} (propagated to the ECS task), an attempt timeout (the catalog's, else the
 * job's own), the catalog's vCPU and memory, and container overrides carrying the environment of
 * {@link JobEnvironment}: {@code HUBBLE_JOB_ID}, {@code HUBBLE_OUTPUT} (the job's result
 * location, where the container writes directly), {@code HUBBLE_API_URL}, {@code HUBBLE_JOB_TOKEN}
 * and {@code HUBBLE_PARAM_<name>}. Batch has no client token, so submit is made idempotent by the
 * name: {@code ListJobs} with a {@code JOB_NAME} filter (which answers jobs of every status) finds
 * a job submitted by an earlier try, and that one is returned. The SDK repeats a SubmitJob only
 * when Batch throttled it; after a server error or a lost answer the job may exist, so the runner
 * looks with ListJobs before it tries again. Two tries racing within Batch's listing delay could
 * still both submit; activities of one job never run at once.
 *
 * <p><b>Poll</b> is {@code DescribeJobs}: SUBMITTED, PENDING, RUNNABLE and STARTING are
 * {@code PENDING}, RUNNING is {@code RUNNING}, SUCCEEDED and FAILED are final; a failure's message
 * is the container's reason, Batch's status reason and the exit code, whichever are known. A job
 * that has not started {@code max-runnable} after its submission (a queue whose compute
 * environment cannot run it leaves it RUNNABLE for ever) is terminated and fails saying so. A job
 * Batch no longer knows is {@code NOT_FOUND}. Each status carries the Batch job id, its log stream
 * and console links ({@link RemoteDetails}).
 *
 * <p><b>Cancel</b> is {@code TerminateJob} ({@code CancelJob} does nothing once a job is STARTING
 * or RUNNING), then waits up to {@code cancel-timeout} for Batch to report the job ended.
 * {@link #logTail} and {@link #diagnostics} read the job's CloudWatch log stream.
 *
 * <p>Errors: a {@code ClientException} (an unknown queue or job definition, a refused override)
 * is a {@link JobRejectedException} with AWS's message; server errors and throttling are retried
 * by the SDK with backoff ({@code max-attempts}), then thrown as they are and retried by the
 * activity. Thread-safe and stateless: every call may land on another worker.
 */
public final class BatchRunner implements JobRunner {

    /** The driver name. */
    public static final String DRIVER = "python";
    /** Tag with the Hubble job id. */
    public static final String TAG_JOB_ID = "hubble:job-id";
    /** Tag with the job's source. */
    public static final String TAG_SOURCE = "hubble:source";
    /** Tag with the catalog name of the job. */
    public static final String TAG_JOB = "hubble:job";
    /** The reason given to Batch when Hubble cancels a job. */
    static final String CANCEL_REASON = "Cancelled in Hubble";

    static final String OUTPUT = "output";
    static final String QUEUE = "queue";
    static final String JOB_NAME = "jobName";
    static final String JOB = "job";

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
    private static final String GENERIC_EXIT = "Essential container in task exited";
    private static final int MAX_LOG_EVENTS = 10_000;

    private final PythonBatchProperties properties;
    private final BatchClient batch;
    private final CloudWatchLogsClient logs;
    private final JobTokens tokens;
    private final String apiUrl;
    private final Clock clock;
    private final RetryStrategy submitRetries;

    /**
     * @param apiUrl Hubble's REST API as the containers reach it
     */
    public BatchRunner(
            PythonBatchProperties properties,
            BatchClient batch,
            CloudWatchLogsClient logs,
            JobTokens tokens,
            URI apiUrl,
            Clock clock) {
        this.properties = properties;
        this.batch = batch;
        this.logs = logs;
        this.tokens = tokens;
        this.apiUrl = apiUrl.toString().replaceAll("/+$", "");
        this.clock = clock;
        this.submitRetries = DefaultRetryStrategy.standardStrategyBuilder()
                .maxAttempts(properties.batch().maxAttempts())
                .retryOnException(e -> e instanceof SdkServiceException service && service.isThrottlingException())
                .treatAsThrottling(e -> e instanceof SdkServiceException service && service.isThrottlingException())
                .build();
    }

    @Override
    public String driver() {
        return DRIVER;
    }

    /** The Batch job name of a job: the same on every call. */
    public String jobName(String jobId) {
        return properties.batch().jobNamePrefix() + jobId;
    }

    /**
     * Submits the job's container, or returns the Batch job an earlier try submitted.
     *
     * @throws JobRejectedException when the query is not a job of the catalog, a parameter
     *     cannot be passed in the environment, or Batch refuses the job (ClientException)
     */
    @Override
    public RunHandle submit(String jobId, JobSpec spec, URI output) {
        PythonBatchProperties.Job job = properties.jobs().get(spec.query());
        if (job == null || !PythonJobNames.isValid(spec.query())) {
            throw new JobRejectedException(
                    PythonJobNames.rejection(properties.jobs().keySet(), spec.query()));
        }
        JobEnvironment.checkParameters(spec.parameters());
        String queue =
                job.jobQueue() != null ? job.jobQueue() : properties.batch().jobQueue();
        String name = jobName(jobId);
        Optional<JobSummary> earlier = earlier(queue, name);
        if (earlier.isPresent()) {
            log.info(
                    "Job {} already has Batch job {} ({}), {}",
                    jobId,
                    earlier.get().jobId(),
                    name,
                    earlier.get().statusAsString());
            return handle(earlier.get().jobId(), name, queue, spec.query(), output);
        }
        Map<String, String> environment =
                JobEnvironment.contract(jobId, output, apiUrl, tokens.issue(jobId, spec.timeout()), spec.parameters());
        Duration attempt = job.timeout() != null ? job.timeout() : spec.timeout();
        SubmitJobRequest request = SubmitJobRequest.builder()
                .jobName(name)
                .jobQueue(queue)
                .jobDefinition(job.jobDefinition())
                .tags(tags(jobId, spec))
                .propagateTags(true)
                .timeout(t ->
                        t.attemptDurationSeconds((int) Math.max(60, Math.min(Integer.MAX_VALUE, attempt.toSeconds()))))
                .containerOverrides(overrides(environment, job))
                // The SDK may try again only what Batch refused (throttling): after a server error
                // or a lost answer the job may exist, and only a look at ListJobs can tell.
                .overrideConfiguration(
                        o -> o.addPlugin(config -> config.overrideConfiguration(c -> c.retryStrategy(submitRetries))))
                .build();
        long pause = 200;
        for (int tries = 1; ; tries++) {
            try {
                SubmitJobResponse submitted = aws("SubmitJob", () -> batch.submitJob(request));
                log.info(
                        "Submitted job {} as Batch job {} ({}) on queue {} with definition {}",
                        jobId,
                        submitted.jobId(),
                        name,
                        queue,
                        job.jobDefinition());
                return handle(submitted.jobId(), name, queue, spec.query(), output);
            } catch (SdkException e) {
                Optional<JobSummary> created = earlier(queue, name);
                if (created.isPresent()) {
                    log.info(
                            "SubmitJob of job {} failed ({}) after Batch created job {}; using that one",
                            jobId,
                            e.getMessage(),
                            created.get().jobId());
                    return handle(created.get().jobId(), name, queue, spec.query(), output);
                }
                if (tries >= properties.batch().maxAttempts()) {
                    throw e;
                }
                log.info(
                        "SubmitJob of job {} failed ({}); Batch has no job of that name, trying again",
                        jobId,
                        e.getMessage());
                sleep(pause);
                pause = Math.min(5_000, pause * 2);
            }
        }
    }

    /** The newest Batch job named {@code name} on {@code queue}, of any status. */
    private Optional<JobSummary> earlier(String queue, String name) {
        return aws(
                        "ListJobs",
                        () -> batch.listJobs(r -> r.jobQueue(queue)
                                .filters(KeyValuesPair.builder()
                                        .name("JOB_NAME")
                                        .values(name)
                                        .build())))
                .jobSummaryList()
                .stream()
                .filter(s -> name.equals(s.jobName()))
                .max(Comparator.comparing(s -> s.createdAt() == null ? 0L : s.createdAt()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for AWS Batch", e);
        }
    }

    /**
     * The job's status, with its Batch job id ({@code engineId}), the console page of the job
     * ({@code uiUrl}), and once its container started, its CloudWatch log stream
     * ({@code logStream}) and that stream's console page ({@code logUrl}).
     */
    @Override
    public RemoteStatus poll(RunHandle handle) {
        Optional<JobDetail> found = describe(handle.remoteId());
        if (found.isEmpty()) {
            return RemoteStatus.of(RemotePhase.NOT_FOUND);
        }
        JobDetail job = found.get();
        String stream = job.container() == null ? null : job.container().logStreamName();
        RemoteDetails details = new RemoteDetails(
                job.jobId(), null, consoleUrl(job.jobId()), stream == null ? null : logUrl(stream), stream);
        return status(handle, job).withDetails(details);
    }

    private RemoteStatus status(RunHandle handle, JobDetail job) {
        String status = job.statusAsString();
        return switch (status == null ? "" : status) {
            case "SUBMITTED", "PENDING", "RUNNABLE" -> waitingForCapacity(handle, job);
            case "STARTING" -> new RemoteStatus(RemotePhase.PENDING, "the container is starting");
            case "RUNNING" -> RemoteStatus.of(RemotePhase.RUNNING);
            case "SUCCEEDED" -> RemoteStatus.of(RemotePhase.SUCCEEDED);
            case "FAILED" -> new RemoteStatus(RemotePhase.FAILED, failure(job));
            default -> {
                log.warn(
                        "Batch job {} is in status '{}', which this driver does not know; taking it as pending",
                        job.jobId(),
                        status);
                yield RemoteStatus.of(RemotePhase.PENDING);
            }
        };
    }

    /** Pending, unless it has waited longer than {@code max-runnable}: then terminated and failed. */
    private RemoteStatus waitingForCapacity(RunHandle handle, JobDetail job) {
        Duration limit = properties.maxRunnable();
        Instant submitted = job.createdAt() == null ? null : Instant.ofEpochMilli(job.createdAt());
        if (submitted == null || !clock.instant().isAfter(submitted.plus(limit))) {
            return new RemoteStatus(RemotePhase.PENDING, "the Batch job is " + job.statusAsString());
        }
        String reason = "Hubble: not started within max-runnable (" + limit + ")";
        aws("TerminateJob", () -> batch.terminateJob(r -> r.jobId(job.jobId()).reason(reason)));
        log.warn("Terminated Batch job {}: still {} {} after its submission", job.jobId(), job.statusAsString(), limit);
        return new RemoteStatus(
                RemotePhase.FAILED,
                "the Batch job was still " + job.statusAsString() + " " + human(limit)
                        + " after its submission (hubble.drivers.python.max-runnable) and was terminated: queue "
                        + handle.attributes().getOrDefault(QUEUE, "?") + " has no compute capacity that can run it");
    }

    /** The most useful words about a failed job: the container's reason, Batch's, the exit code. */
    static String failure(JobDetail job) {
        List<String> parts = new ArrayList<>();
        ContainerDetail container = job.container();
        if (container != null
                && container.reason() != null
                && !container.reason().isBlank()) {
            parts.add(container.reason().strip());
        }
        String reason = job.statusReason();
        Integer exit = container == null ? null : container.exitCode();
        if (reason != null
                && !reason.isBlank()
                && !(exit != null && reason.strip().equals(GENERIC_EXIT))) {
            parts.add(reason.strip());
        }
        if (exit != null) {
            parts.add("exit code " + exit);
        }
        return parts.isEmpty()
                ? "the Batch job failed without a reason"
                : "the Batch job failed: " + String.join("; ", parts);
    }

    /**
     * Terminates the job and waits up to {@code cancel-timeout} for Batch to report it ended. A
     * job Batch does not know, or that has ended, is left alone.
     *
     * @throws IllegalStateException when the job has not ended within {@code cancel-timeout}
     */
    @Override
    public void cancel(RunHandle handle) {
        Optional<JobDetail> job = describe(handle.remoteId());
        if (job.isEmpty() || isFinal(job.get())) {
            log.info("Batch job {} has ended already; nothing to cancel", handle.remoteId());
            return;
        }
        aws(
                "TerminateJob",
                () -> batch.terminateJob(r -> r.jobId(handle.remoteId()).reason(CANCEL_REASON)));
        long deadline = System.nanoTime() + properties.batch().cancelTimeout().toNanos();
        long pause = 200;
        while (true) {
            job = describe(handle.remoteId());
            if (job.isEmpty() || isFinal(job.get())) {
                log.info("Terminated Batch job {}", handle.remoteId());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Batch job " + handle.remoteId() + " is still "
                        + job.get().statusAsString() + " "
                        + properties.batch().cancelTimeout().toSeconds() + " s after TerminateJob");
            }
            sleep(pause);
            pause = Math.min(2_000, pause * 2);
        }
    }

    /** The last {@code log-tail-lines} lines of the container's log, when it has one. */
    /** The default job queue must be known to Batch, ENABLED and VALID. */
    @Override
    public Map<String, Object> checkEngine() {
        String queue = properties.batch().jobQueue();
        var queues =
                batch.describeJobQueues(request -> request.jobQueues(queue)).jobQueues();
        if (queues.isEmpty()) {
            throw new IllegalStateException("AWS Batch does not know the job queue " + queue);
        }
        var found = queues.get(0);
        if (!"ENABLED".equals(found.stateAsString()) || !"VALID".equals(found.statusAsString())) {
            throw new IllegalStateException("the job queue " + queue + " is " + found.stateAsString() + " and "
                    + found.statusAsString() + ": it takes no jobs");
        }
        return Map.of("queue", queue, "state", found.stateAsString(), "status", found.statusAsString());
    }

    @Override
    public Optional<String> diagnostics(RunHandle handle) {
        try {
            List<String> tail = logTail(handle, properties.batch().logTailLines());
            return tail.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", tail));
        } catch (RuntimeException e) {
            log.warn("Could not read the log of Batch job {}: {}", handle.remoteId(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * The last {@code lines} lines (at most 10,000, a page of {@code GetLogEvents}) of the job's
     * CloudWatch log stream, oldest first; none before its container started.
     */
    @Override
    public List<String> logTail(RunHandle handle, int lines) {
        Optional<String> stream =
                describe(handle.remoteId()).map(JobDetail::container).map(ContainerDetail::logStreamName);
        if (stream.isEmpty()) {
            return List.of();
        }
        try {
            return logs
                    .getLogEvents(r -> r.logGroupName(properties.batch().logGroup())
                            .logStreamName(stream.get())
                            .limit(Math.min(Math.max(1, lines), MAX_LOG_EVENTS))
                            .startFromHead(false))
                    .events()
                    .stream()
                    .map(OutputLogEvent::message)
                    .filter(Objects::nonNull)
                    .map(message -> message.replaceAll("\\r?\\n$", ""))
                    .toList();
        } catch (ResourceNotFoundException e) {
            return List.of(); // the stream is created with the container's first line
        }
    }

    private Optional<JobDetail> describe(String batchJobId) {
        return aws("DescribeJobs", () -> batch.describeJobs(r -> r.jobs(batchJobId))).jobs().stream()
                .filter(j -> batchJobId.equals(j.jobId()))
                .findFirst();
    }

    private static boolean isFinal(JobDetail job) {
        return "SUCCEEDED".equals(job.statusAsString()) || "FAILED".equals(job.statusAsString());
    }

    /** One Batch call; a ClientException is Batch refusing the job, which trying again cannot change. */
    private static <T> T aws(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (ClientException e) {
            String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                    ? e.awsErrorDetails().errorMessage()
                    : e.getMessage();
            throw new JobRejectedException("AWS Batch refused " + operation + ": " + message);
        }
    }

    private static ContainerOverrides overrides(Map<String, String> environment, PythonBatchProperties.Job job) {
        List<ResourceRequirement> resources = new ArrayList<>();
        if (job.vcpus() != null) {
            resources.add(ResourceRequirement.builder()
                    .type(ResourceType.VCPU)
                    .value(job.vcpus()
                            .setScale(2, RoundingMode.HALF_UP)
                            .stripTrailingZeros()
                            .toPlainString())
                    .build());
        }
        if (job.memory() != null) {
            resources.add(ResourceRequirement.builder()
                    .type(ResourceType.MEMORY)
                    .value(Long.toString(job.memory().toMegabytes()))
                    .build());
        }
        ContainerOverrides.Builder overrides = ContainerOverrides.builder()
                .environment(environment.entrySet().stream()
                        .map(e -> KeyValuePair.builder()
                                .name(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList());
        if (!resources.isEmpty()) {
            overrides.resourceRequirements(resources);
        }
        return overrides.build();
    }

    private static Map<String, String> tags(String jobId, JobSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_JOB_ID, jobId);
        tags.put(TAG_SOURCE, tagValue(spec.source()));
        tags.put(TAG_JOB, spec.query());
        return tags;
    }

    /** A tag value Batch accepts: letters, digits, spaces and {@code _.:/=+-@}, at most 256. */
    private static String tagValue(String value) {
        String cleaned = value.replaceAll("[^\\p{L}\\p{N}\\s_.:/=+\\-@]", "_");
        return cleaned.length() <= 256 ? cleaned : cleaned.substring(0, 256);
    }

    private RunHandle handle(String batchJobId, String name, String queue, String job, URI output) {
        return new RunHandle(
                DRIVER, batchJobId, Map.of(OUTPUT, output.toString(), JOB_NAME, name, QUEUE, queue, JOB, job));
    }

    private String consoleUrl(String batchJobId) {
        String region = properties.batch().region();
        return "https://" + region + ".console.aws.amazon.com/batch/home?region=" + region + "#jobs/detail/"
                + batchJobId;
    }

    /** The CloudWatch console's page of a log stream; it escapes path parts as {@code $25xx}. */
    private String logUrl(String stream) {
        String region = properties.batch().region();
        return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                + "#logsV2:log-groups/log-group/"
                + consoleEscape(properties.batch().logGroup())
                + "/log-events/" + consoleEscape(stream);
    }

    private static String consoleEscape(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%", "$25");
    }

    private static String human(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes > 0 && duration.equals(Duration.ofMinutes(minutes))
                ? minutes + " min"
                : duration.toSeconds() + " s";
    }
}
