package dev.hubble.core.results;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/** A link that downloads one result file until it expires. */
public record SignedLink(URI url, Instant expiresAt) {

    public SignedLink {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
