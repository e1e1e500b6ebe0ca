package dev.hubble.sparkjob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program the {@code spark} driver runs as a Livy batch: one job's SQL, its result written
 * into the job's location, and Hubble told how it went.
 *
 * <p>Its single argument is the Hadoop path of the job's {@code _job.json} ({@code s3://},
 * {@code s3a://}, {@code file://}; see {@link JobFile}); an {@code s3://} path or location is
 * read through {@code s3a://} on a Spark without an {@code s3} file system ({@link HadoopPaths}). The job's token travels only in that
 * file, never in arguments or Spark conf that the Spark UI, YARN or Livy would show.
 *
 * <p>What it leaves in the job's location:
 * <ul>
 *   <li>on success, the result files (CSV with a header, or Parquet) and {@value #RESULT}:
 *       {@code {"rows": n, "files": [{"name": ..., "sizeBytes": ...}]}} ({@code rows} is absent
 *       when Spark did not report it);
 *   <li>on failure, {@value #ERROR}: {@code {"message": ..., "detail": ...}}, where the message is
 *       Spark's own, e.g. {@code [PARSE_SYNTAX_ERROR] Syntax error at or near 'selec'...}.
 * </ul>
 * Names starting with {@code _} or {@code .} are not results. A second run of the same job
 * (a retried batch) first removes the results and outcome files of the first.
 *
 * <p>It pushes {@code RUNNING} at start and {@code SUCCEEDED} or {@code FAILED} at the end to
 * {@code /v1/jobs/<id>/status}, and a failure's message and detail to {@code /v1/jobs/<id>/errors}
 * ({@link HubbleClient}); Hubble being unreachable never changes the outcome. A failure is thrown
 * on, so the batch itself fails.
 */
public final class SparkJob {

    /** The outcome file of a job that succeeded. */
    public static final String RESULT = "_RESULT.json";
    /** The outcome file of a job that failed. */
    public static final String ERROR = "_ERROR.json";

    static final int MAX_MESSAGE_CHARS = 2_000;
    // Hubble accepts 64 KiB of UTF-8 detail; characters may take up to 3 bytes.
    static final int MAX_DETAIL_CHARS = 20_000;

    private static final Logger log = LoggerFactory.getLogger(SparkJob.class);
    // Error classes that only say where an error happened; the cause says what it was.
    private static final Set<String> WRAPPERS =
            new HashSet<>(Arrays.asList("TASK_WRITE_FAILED", "_LEGACY_ERROR_TEMP_2030", "FAILED_EXECUTE_UDF"));

    private final SparkSession spark;
    private final ObjectMapper mapper = new ObjectMapper();
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    SparkJob(SparkSession spark, int connectTimeoutMillis, int readTimeoutMillis) {
        this.spark = spark;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /**
     * Runs the job staged at {@code args[0]}. Exits through an exception when the job fails, so
     * that spark-submit exits non-zero and Livy marks the batch {@code dead}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: " + SparkJob.class.getName() + " <path of _job.json>");
        }
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            new SparkJob(spark, 3_000, 5_000).run(args[0]);
        } finally {
            spark.stop();
        }
    }

    /** Runs one job; throws what made it fail after recording and reporting it. */
    void run(String jobFile) throws Exception {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path jobPath = new Path(HadoopPaths.of(jobFile, hadoop));
        JobFile job;
        try {
            job = JobFile.parse(read(jobPath, hadoop), mapper);
        } catch (Exception e) {
            // No API URL to report to: the error file next to the job file is all there is.
            writeQuietly(new Path(jobPath.getParent(), ERROR), errorJson(failure(e)), hadoop);
            throw e;
        }
        log.info("Running {}", job);
        HubbleClient hubble =
                new HubbleClient(job.apiUrl, job.jobId, job.jobToken, connectTimeoutMillis, readTimeoutMillis, mapper);
        hubble.status("RUNNING", null);
        String where = HadoopPaths.of(job.location, hadoop);
        Path location = new Path(where);
        try {
            spark.sparkContext().setJobDescription("hubble job " + job.jobId);
            FileSystem fs = location.getFileSystem(hadoop);
            removeEarlierRun(fs, location);
            Long rows = write(spark.sql(job.query), job.format, where);
            write(new Path(location, RESULT), resultJson(rows, resultFiles(fs, location)), hadoop);
        } catch (Exception e) {
            Failure failure = failure(e);
            log.error("Job {} failed: {}", job.jobId, failure.message);
            writeQuietly(new Path(location, ERROR), errorJson(failure), hadoop);
            hubble.error(failure.message, failure.detail);
            hubble.status("FAILED", failure.message);
            throw e;
        }
        log.info("Job {} succeeded", job.jobId);
        hubble.status("SUCCEEDED", null);
    }

    /** Writes the result and returns how many rows it has, when Spark says. */
    private Long write(Dataset<Row> result, String format, String location) throws InterruptedException {
        RowsWritten rows = new RowsWritten();
        spark.listenerManager().register(rows);
        try {
            // Append: the location already holds _job.json, which must stay.
            DataFrameWriter<Row> writer = result.write().mode(SaveMode.Append);
            if (format.equals("csv")) {
                writer.option("header", "true").csv(location);
            } else {
                writer.parquet(location);
            }
            return rows.await(10, TimeUnit.SECONDS);
        } finally {
            spark.listenerManager().unregister(rows);
        }
    }

    private static void removeEarlierRun(FileSystem fs, Path location) throws IOException {
        if (!fs.exists(location)) {
            return;
        }
        for (FileStatus status : fs.listStatus(location)) {
            String name = status.getPath().getName();
            if (isResult(name) || name.equals(RESULT) || name.equals(ERROR) || name.equals("_SUCCESS")) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    private static List<FileStatus> resultFiles(FileSystem fs, Path location) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus status : fs.listStatus(location)) {
            if (status.isFile() && isResult(status.getPath().getName())) {
                files.add(status);
            }
        }
        files.sort(Comparator.comparing(status -> status.getPath().getName()));
        return files;
    }

    static boolean isResult(String name) {
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private byte[] resultJson(Long rows, List<FileStatus> files) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        if (rows != null) {
            root.put("rows", rows);
        }
        ArrayNode list = root.putArray("files");
        for (FileStatus file : files) {
            list.addObject().put("name", file.getPath().getName()).put("sizeBytes", file.getLen());
        }
        return mapper.writeValueAsBytes(root);
    }

    private byte[] errorJson(Failure failure) {
        ObjectNode root =
                mapper.createObjectNode().put("message", failure.message).put("detail", failure.detail);
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The message users see: the first line of Spark's own error (its error class and text, e.g.
     * {@code [PARSE_SYNTAX_ERROR] ...}); for a failed task, the SQL's own error rather than "Job
     * aborted" (see {@link #reportedMessage}). The detail is the whole message (for a parse
     * error, the SQL with a caret under the error) and the stack trace, cut to fit what Hubble
     * accepts.
     */
    static Failure failure(Throwable e) {
        String text = reportedMessage(e);
        String message = firstLine(text);
        if (message.isEmpty()) {
            message = e.getClass().getName();
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String detail = text.trim() + "\n\n" + trace;
        return new Failure(cut(message, MAX_MESSAGE_CHARS), cut(detail, MAX_DETAIL_CHARS));
    }

    /**
     * The deepest Spark error with an error class that is not only a wrapper; else the root
     * cause, e.g. the message of {@code raise_error('...')}, which Spark 3.5 throws as a plain
     * {@code RuntimeException} inside {@code [TASK_WRITE_FAILED]} inside "Job aborted".
     */
    private static String reportedMessage(Throwable e) {
        Throwable classed = null;
        Throwable root = e;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            root = t;
            if (t instanceof SparkThrowable) {
                String errorClass = ((SparkThrowable) t).getErrorClass();
                if (errorClass != null && !WRAPPERS.contains(errorClass)) {
                    classed = t;
                }
            }
        }
        if (classed != null) {
            return messageOf(classed);
        }
        if (root != e && root.getMessage() != null && !root.getMessage().trim().isEmpty()) {
            return root.getClass() == RuntimeException.class ? root.getMessage() : root.toString();
        }
        return messageOf(e);
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    }

    private static String firstLine(String text) {
        for (String line : text.split("\r?\n")) {
            if (!line.trim().isEmpty()) {
                return line.trim();
            }
        }
        return "";
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static byte[] read(Path path, Configuration hadoop) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try (InputStream in = fs.open(path)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, n);
            }
            return bytes.toByteArray();
        }
    }

    private static void write(Path path, byte[] bytes, Configuration hadoop) throws IOException {
        try (OutputStream out = path.getFileSystem(hadoop).create(path, true)) {
            out.write(bytes);
        }
    }

    private static void writeQuietly(Path path, byte[] bytes, Configuration hadoop) {
        try {
            write(path, bytes, hadoop);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not write {}: {}", path, e.toString());
        }
    }

    /** Why a job failed, as reported. */
    static final class Failure {
        final String message;
        final String detail;

        Failure(String message, String detail) {
            this.message = message;
            this.detail = detail;
        }
    }
}
