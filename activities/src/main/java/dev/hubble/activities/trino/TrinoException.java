package dev.hubble.activities.trino;

import org.springframework.lang.Nullable;

/** Trino answered a request with an error, or could not be reached. */
final class TrinoException extends RuntimeException {

    private final int status;

    /** @param status the HTTP status, 0 when there was no answer */
    TrinoException(int status, String message) {
        this(status, message, null);
    }

    TrinoException(int status, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of Trino's answer; 0 when there was none. */
    int status() {
        return status;
    }

    /**
     * Whether Trino refused the request itself (a 4xx: bad credentials, a malformed request), so
     * that sending it again cannot help.
     */
    boolean isRefusal() {
        return status >= 400 && status < 500;
    }

    /** Whether the protocol says to send the request again: no answer, or 502, 503 or 504. */
    boolean isRetryable() {
        return status == 0 || status == 502 || status == 503 || status == 504;
    }
}
