package dev.hubble.sparkjob;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Hubble how the job goes: {@code POST <apiUrl>/v1/jobs/<id>/status} and
 * {@code POST <apiUrl>/v1/jobs/<id>/errors}, with the job's token as
 * {@code Authorization: Bearer}.
 *
 * <p>Best effort by design: a report is a hint that saves Hubble a poll or gives the user Spark's
 * own words, while the result files and the batch's state tell the truth. So every call has short
 * timeouts, is tried once, and never throws; a failure is logged with the URL and the reason,
 * never with the token.
 */
final class HubbleClient {

    private static final Logger log = LoggerFactory.getLogger(HubbleClient.class);

    private final String jobsUrl;
    private final String token;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final ObjectMapper mapper;

    HubbleClient(
            String apiUrl,
            String jobId,
            String token,
            int connectTimeoutMillis,
            int readTimeoutMillis,
            ObjectMapper mapper) {
        this.jobsUrl = apiUrl == null || apiUrl.trim().isEmpty()
                ? null
                : apiUrl.replaceAll("/+$", "") + "/v1/jobs/" + segment(jobId);
        this.token = token;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.mapper = mapper;
    }

    /** Reports the job's phase ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}). */
    void status(String phase, String message) {
        ObjectNode body = mapper.createObjectNode().put("phase", phase);
        if (message != null) {
            body.put("message", message);
        }
        post("/status", body);
    }

    /** Reports the job's own error: one line for people and a longer detail. */
    void error(String message, String detail) {
        ObjectNode body = mapper.createObjectNode().put("message", message);
        if (detail != null) {
            body.put("detail", detail);
        }
        post("/errors", body);
    }

    private void post(String path, ObjectNode body) {
        if (jobsUrl == null) {
            return;
        }
        String url = jobsUrl + path;
        HttpURLConnection connection = null;
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(bytes.length);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
            int status = connection.getResponseCode();
            drain(connection, status);
            if (status / 100 != 2) {
                log.warn("Hubble answered {} to POST {}", status, url);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not reach Hubble at POST {}: {}", url, e.toString());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void drain(HttpURLConnection connection, int status) {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // the answer is not needed; reading it lets the connection be reused
                }
            }
        } catch (IOException e) {
            // the status was all that mattered
        }
    }

    private static String segment(String value) {
        try {
            return URLEncoder.encode(value, StandardCharsets.UTF_8.name()).replace("+", "%20");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
