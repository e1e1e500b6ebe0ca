package dev.hubble.activities.livy;

/** Livy answered a request with an error status. */
final class LivyException extends RuntimeException {

    private final int status;

    LivyException(String method, String path, int status, String reason) {
        super("Livy answered " + status + " to " + method + " " + path + (reason.isEmpty() ? "" : ": " + reason));
        this.status = status;
    }

    int status() {
        return status;
    }

    /** A 5xx, 408 or 429: Livy or something in front of it may answer better later. */
    boolean isTransient() {
        return status >= 500 || status == 408 || status == 429;
    }
}
