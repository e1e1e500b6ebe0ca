package dev.hubble.activities.trino;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hubble.activities.trino.TrinoClient.Column;
import dev.hubble.core.job.OutputFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a query's rows, as they arrive, into the job's result file: {@code result.csv} (a header,
 * lines ending in a line feed as the other drivers write them, NULL as an empty field, an empty
 * string as {@code ""}) or {@code result.parquet}.
 * Memory stays bounded whatever the result's size: CSV goes straight to disk, and Parquet is made
 * from a CSV written the same way ({@value #ROWS_FILE}, not a result: its name starts with
 * {@code _}) by DuckDB, which streams it, once the last row has come.
 *
 * <p>Parquet columns get the DuckDB type of their Trino type (integers, floating point, decimals,
 * booleans, dates, times and timestamps without a time zone keep theirs); every other type
 * (varchar, char, timestamps with a time zone, intervals, arrays, maps, rows, JSON, varbinary as
 * Base64) is text, structured values as JSON.
 *
 * <p>Not thread-safe: one query's rows, in order.
 */
final class ResultWriter implements TrinoClient.RowSink, AutoCloseable {

    /** The CSV a Parquet result is made from. */
    static final String ROWS_FILE = "_rows.csv";

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

    private final Path file;
    private final Path csv;
    private final OutputFormat format;
    private final long maxBytes;
    private final CountingOutputStream counted;
    private final Writer out;
    private List<Column> columns;
    private long rows;

    /**
     * @param dir the job's output directory
     * @param maxBytes the most bytes of CSV the rows may take
     */
    ResultWriter(Path dir, OutputFormat format, long maxBytes) throws IOException {
        this.format = format;
        this.maxBytes = maxBytes;
        this.file = dir.resolve("result." + format.wireName());
        this.csv = format == OutputFormat.CSV ? file : dir.resolve(ROWS_FILE);
        this.counted = new CountingOutputStream(Files.newOutputStream(csv));
        this.out = new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** The result file. */
    Path file() {
        return file;
    }

    /** Rows written so far. */
    long rows() {
        return rows;
    }

    /** Bytes of CSV written so far. */
    long bytes() {
        return counted.count;
    }

    @Override
    public void columns(List<Column> columns) throws IOException {
        if (this.columns != null) {
            return;
        }
        this.columns = List.copyOf(columns);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            writeText(columns.get(i).name());
        }
        out.write('\n');
    }

    @Override
    public boolean hasColumns() {
        return columns != null;
    }

    @Override
    public void row(JsonNode row) throws IOException {
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            JsonNode value = row.get(i);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isTextual()) {
                writeText(value.asText());
            } else if (value.isValueNode()) {
                out.write(value.asText());
            } else {
                writeText(value.toString());
            }
        }
        out.write('\n');
        rows++;
        if (counted.count > maxBytes) {
            throw new ResultTooLargeException(maxBytes);
        }
    }

    /**
     * Completes the result: flushes the CSV, or makes the Parquet file from it and deletes it. A
     * query without columns (no rows at all) gets an empty file.
     */
    void finish() throws IOException {
        out.close();
        if (format == OutputFormat.CSV) {
            return;
        }
        try {
            toParquet();
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** Closes the file and deletes what was written: the result must not be listed. */
    void discard() {
        try {
            out.close();
        } catch (IOException e) {
            // deleted below either way
        }
        deleteQuietly(csv);
        deleteQuietly(file);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to write
        }
    }

    private void toParquet() throws IOException {
        List<Column> cols = columns == null ? List.of() : columns;
        if (cols.isEmpty()) {
            Files.write(file, new byte[0]);
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            types.add("'c" + i + "': '" + duckDbType(cols.get(i).type()) + "'");
            select.add("c" + i + " AS " + identifier(cols.get(i).name()));
        }
        String copy = "COPY (SELECT " + String.join(", ", select) + " FROM read_csv(" + literal(csv.toString())
                + ", header = true, auto_detect = false, quote = '\"', escape = '\"', nullstr = '',"
                + " allow_quoted_nulls = false, columns = {" + String.join(", ", types) + "})) TO "
                + literal(file.toString()) + " (FORMAT PARQUET)";
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            statement.execute("SET memory_limit = '256MB'");
            statement.execute("SET preserve_insertion_order = true");
            statement.execute(copy);
        } catch (SQLException e) {
            throw new IOException("DuckDB could not write the Parquet file: " + e.getMessage(), e);
        }
    }

    /** The DuckDB type a Trino type's values are kept as in Parquet. */
    static String duckDbType(String trinoType) {
        String type = trinoType.toLowerCase(Locale.ROOT).strip();
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches()) {
            return "DECIMAL(" + decimal.group(1) + ", " + decimal.group(2) + ")";
        }
        if (type.startsWith("timestamp") && !type.contains("with time zone")) {
            return "TIMESTAMP";
        }
        if (type.startsWith("time") && !type.startsWith("timestamp") && !type.contains("with time zone")) {
            return "TIME";
        }
        return switch (type) {
            case "boolean" -> "BOOLEAN";
            case "tinyint" -> "TINYINT";
            case "smallint" -> "SMALLINT";
            case "integer" -> "INTEGER";
            case "bigint" -> "BIGINT";
            case "real" -> "FLOAT";
            case "double" -> "DOUBLE";
            case "date" -> "DATE";
            case "uuid" -> "UUID";
            default -> "VARCHAR";
        };
    }

    private void writeText(String text) throws IOException {
        if (text.isEmpty()) {
            out.write("\"\"");
            return;
        }
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover partial file is not listed: the job fails
        }
    }

    /** The result grew beyond {@code max-result-bytes}. */
    static final class ResultTooLargeException extends RuntimeException {

        ResultTooLargeException(long maxBytes) {
            super("the result is larger than hubble.drivers.trino.max-result-bytes (" + maxBytes
                    + " bytes as CSV); the query was cancelled and no file is kept");
        }
    }

    private static final class CountingOutputStream extends OutputStream {

        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
