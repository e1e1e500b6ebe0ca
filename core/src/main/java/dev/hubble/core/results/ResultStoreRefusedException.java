package dev.hubble.core.results;

/**
 * A result store refused for a reason that retrying cannot fix: the bucket does not exist, the
 * credentials are refused, access is denied. The message says so in the store's own words and is
 * shown to the user as the job's error; it never contains a credential or a signed link.
 */
public class ResultStoreRefusedException extends RuntimeException {

    public ResultStoreRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
