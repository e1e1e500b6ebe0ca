package dev.hubble.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.temporal.RemoteStatus;
import dev.hubble.core.temporal.RunHandle;
import dev.hubble.trinodev.TrinoServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A million rows through the trino driver in a worker JVM whose heap is 256 MB: the rows are
 * streamed to disk, never held. The runner runs in a JVM of its own ({@link #main}, {@code
 * -Xmx256m}) against the test JVM's Trino; the result is checked by count and sum against Trino's
 * own answer.
 */
class TrinoMillionRowsTest {

    /** Exactly 1,000,000 orders: TPC-H uses the first 8 of every 32 order keys. */
    static final String MILLION = "select orderkey, custkey, orderstatus, totalprice, orderdate, comment"
            + " from tpch.sf1.orders where orderkey <= 4000000";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aMillionRowsStreamThroughAWorkerWithA256MbHeap() throws Exception {
        URI trino = TrinoServerProcess.shared().url();
        Path output = Files.createDirectories(dir.resolve("million"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process worker = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TrinoMillionRowsTest.class.getName(),
                        trino.toString(),
                        output.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile())
                .start();
        long started = System.nanoTime();
        assertThat(worker.waitFor(5, TimeUnit.MINUTES))
                .as("the worker JVM ended")
                .isTrue();
        long millis = (System.nanoTime() - started) / 1_000_000;
        String log = Files.readString(dir.resolve("worker.log"));
        assertThat(worker.exitValue()).as(log).isZero();
        assertThat(log).contains("SUCCEEDED");
        Path csv = output.resolve("result.csv");
        System.out.printf(
                "A million rows through the trino driver in a 256 MB worker: %d ms (JVM start included), %d MB of CSV%n",
                millis, Files.size(csv) >> 20);

        List<JsonNode> answer =
                TrinoRunnerTest.trinoRows(trino, "select count(*), sum(orderkey), sum(custkey) from (" + MILLION + ")");
        assertThat(answer).hasSize(1);
        JsonNode expected = answer.get(0);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select count(*), sum(orderkey), sum(custkey) from read_csv('" + csv + "', header = true)")) {
            rows.next();
            assertThat(rows.getLong(1))
                    .isEqualTo(1_000_000)
                    .isEqualTo(expected.get(0).asLong());
            assertThat(rows.getLong(2)).isEqualTo(expected.get(1).asLong());
            assertThat(rows.getLong(3)).isEqualTo(expected.get(2).asLong());
        }
    }

    /** The worker: runs {@link #MILLION} through a {@link TrinoRunner} and prints how it ended. */
    public static void main(String[] args) throws Exception {
        TrinoProperties properties =
                TrinoRunnerTest.properties(URI.create(args[0]), DataSize.ofGigabytes(1), List.of());
        TrinoRunner runner = new TrinoRunner(properties, JSON, Clock.systemUTC());
        JobSpec spec = new JobSpec(
                MILLION, "trino", OutputFormat.CSV, "test", null, null, null, 5, Duration.ofMinutes(5), Map.of(), null);
        RunHandle handle = runner.submit(
                "million-" + System.nanoTime(), spec, Path.of(args[1]).toUri());
        RemoteStatus status = runner.poll(handle);
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!status.phase().isTerminal() && System.nanoTime() < giveUpAt) {
            runner.awaitChange(handle, Duration.ofSeconds(1));
            status = runner.poll(handle);
        }
        Runtime memory = Runtime.getRuntime();
        System.out.println(status.phase() + " " + status.message() + "; heap max "
                + (memory.maxMemory() >> 20) + " MB, used at the end "
                + ((memory.totalMemory() - memory.freeMemory()) >> 20)
                + " MB");
        runner.destroy();
        System.exit(status.phase().isTerminal() ? 0 : 1);
    }
}
