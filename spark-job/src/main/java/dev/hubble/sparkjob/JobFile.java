package dev.hubble.sparkjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/**
 * The job as the spark driver staged it in {@code <location>/_job.json}:
 * <pre>{"jobId": "...", "query": "select ...", "format": "csv" | "parquet",
 *  "location": "s3://bucket/prefix/jobs/&lt;id&gt;/", "apiUrl": "https://hubble...", "jobToken": "..."}</pre>
 * {@code apiUrl} and {@code jobToken} may be absent: the job then runs without reporting back.
 *
 * <p>The token is a credential: {@link #toString()} leaves it out, and nothing else here prints it.
 */
final class JobFile {

    final String jobId;
    final String query;
    final String format;
    final String location;
    final String apiUrl;
    final String jobToken;

    private JobFile(String jobId, String query, String format, String location, String apiUrl, String jobToken) {
        this.jobId = jobId;
        this.query = query;
        this.format = format;
        this.location = location;
        this.apiUrl = apiUrl;
        this.jobToken = jobToken;
    }

    /** Parses {@code _job.json}; throws when a required field is missing or the format unknown. */
    static JobFile parse(byte[] json, ObjectMapper mapper) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("the job file is not a JSON object");
        }
        String format = required(root, "format").toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new IOException("unknown result format '" + format + "': csv or parquet");
        }
        return new JobFile(
                required(root, "jobId"),
                required(root, "query"),
                format,
                required(root, "location"),
                optional(root, "apiUrl"),
                optional(root, "jobToken"));
    }

    private static String required(JsonNode root, String field) throws IOException {
        String value = optional(root, field);
        if (value == null || value.trim().isEmpty()) {
            throw new IOException("the job file has no " + field);
        }
        return value;
    }

    private static String optional(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    @Override
    public String toString() {
        return "JobFile[jobId=" + jobId + ", format=" + format + ", location=" + location + ", apiUrl=" + apiUrl + "]";
    }
}
