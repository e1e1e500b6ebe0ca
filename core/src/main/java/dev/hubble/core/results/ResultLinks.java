package dev.hubble.core.results;

import dev.hubble.core.job.ResultFile;
import java.net.URI;

/**
 * Signs download links for result files. Links are signed when they are read, never stored, so a
 * link handed out is always fresh. Implementations are thread-safe.
 */
public interface ResultLinks {

    /**
     * A fresh link to {@code file} of job {@code jobId}.
     *
     * @param apiBaseUrl the public base URL of Hubble's API, for stores whose links the API serves
     */
    SignedLink sign(String jobId, ResultFile file, URI apiBaseUrl);
}
