package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trino driver against Trino's own JDBC driver on the same Trino (the local stack's), one
 * query at a time, alternating: {@code select 1} from Hubble's submit to SUCCEEDED (the result in
 * S3) against {@code executeQuery} and reading the row; and 1,000,000 rows of {@code
 * tpch.sf1.orders} to CSV through Hubble (into S3, uploaded) against trino-jdbc writing the same
 * CSV to a local file. Prints the figures; asserts only that both ran and agree on the rows. Run
 * it with {@code ./mvnw -pl temporal-dev -am verify -Dtest=TrinoOverheadBenchmark
 * -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class TrinoOverheadBenchmark {

    private static final int ROUNDS = Integer.getInteger("hubble.bench.rounds", 11);
    private static final String SMALL = "select 1 as one";
    /** Exactly 1,000,000 orders: TPC-H uses the first 8 of every 32 order keys. */
    private static final String MILLION = "select orderkey, custkey, orderstatus, totalprice, orderdate"
            + " from tpch.sf1.orders where orderkey <= 4000000";

    @Test
    void hubbleAgainstTrinoJdbc(@TempDir Path dataDir) throws Exception {
        try (LocalStack stack = LocalStack.start(dataDir, "--hubble.dev.trino=true")) {
            String url = "jdbc:trino://127.0.0.1:"
                    + stack.context
                            .getBean(LocalTrino.class)
                            .trino(Duration.ofMinutes(3))
                            .port();
            Properties user = new Properties();
            user.setProperty("user", "benchmark");
            try (Connection jdbc = DriverManager.getConnection(url, user)) {
                // Warm-up: class loading, code generation and the tpch generator, on both paths.
                jdbcSmall(jdbc);
                hubble(stack, SMALL);
                List<Long> viaJdbc = new ArrayList<>();
                List<Long> viaHubble = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    viaJdbc.add(jdbcSmall(jdbc));
                    viaHubble.add(hubble(stack, SMALL));
                }
                System.out.printf(
                        "%nTrino '%s', %d rounds, one at a time:%n  trino-jdbc executeQuery + read: %s ms (median %d)"
                                + "%n  Hubble submit -> SUCCEEDED: %s ms (median %d)%n  overhead (median): %d ms%n",
                        SMALL,
                        ROUNDS,
                        viaJdbc,
                        median(viaJdbc),
                        viaHubble,
                        median(viaHubble),
                        median(viaHubble) - median(viaJdbc));

                Path csv = dataDir.resolve("jdbc.csv");
                long jdbcMillis = jdbcCsv(jdbc, csv);
                long hubbleStarted = System.nanoTime();
                String jobId = stack.submit(
                        Map.of("query", MILLION, "driver", "trino", "format", "csv", "source", "benchmark"));
                JsonNode job = stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(10));
                long hubbleMillis = (System.nanoTime() - hubbleStarted) / 1_000_000;
                System.out.printf(
                        "1,000,000 rows to CSV:%n  trino-jdbc to a local file: %d ms (%.0f rows/s, %d bytes)"
                                + "%n  Hubble to S3: %d ms (%.0f rows/s, %d bytes)%n  Hubble / jdbc throughput: %.2f%n%n",
                        jdbcMillis,
                        1e9 / jdbcMillis,
                        Files.size(csv),
                        hubbleMillis,
                        1e9 / hubbleMillis,
                        job.at("/result/totalBytes").asLong(),
                        (double) jdbcMillis / hubbleMillis);
                assertThat(job.at("/result/totalBytes").asLong()).isEqualTo(Files.size(csv));
            }
        }
    }

    private static long jdbcSmall(Connection jdbc) throws Exception {
        long started = System.nanoTime();
        try (Statement statement = jdbc.createStatement();
                ResultSet rows = statement.executeQuery(SMALL)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long hubble(LocalStack stack, String query) {
        long started = System.nanoTime();
        String jobId = stack.submit(Map.of("query", query, "driver", "trino", "format", "csv", "source", "benchmark"));
        stack.awaitState(jobId, "SUCCEEDED", Duration.ofMinutes(2));
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The same CSV as the driver writes (header, line feeds, no quoting needed for these columns). */
    private static long jdbcCsv(Connection jdbc, Path csv) throws Exception {
        long started = System.nanoTime();
        try (Statement statement = jdbc.createStatement();
                ResultSet rows = statement.executeQuery(MILLION);
                Writer out = new BufferedWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8), 64 * 1024)) {
            ResultSetMetaData columns = rows.getMetaData();
            int count = columns.getColumnCount();
            for (int i = 1; i <= count; i++) {
                out.write((i > 1 ? "," : "") + columns.getColumnName(i));
            }
            out.write('\n');
            long written = 0;
            while (rows.next()) {
                for (int i = 1; i <= count; i++) {
                    if (i > 1) {
                        out.write(',');
                    }
                    out.write(String.valueOf(rows.getObject(i)));
                }
                out.write('\n');
                written++;
            }
            assertThat(written).isEqualTo(1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
