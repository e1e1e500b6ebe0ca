package dev.hubble.core.view;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * The API's base URL as clients see it ({@code hubble.api.public-url}), for the result links in
 * job documents. The API and the workers read the same property: the API signs links when it
 * answers, a worker when it publishes a status event.
 *
 * <p>When unset, the API uses the base URL of the request it answers, and a worker, which has no
 * request, uses {@value #FALLBACK}. Set it wherever clients reach the API under another address
 * (a proxy, a load balancer, another port), or the links in status events will not work.
 *
 * @param publicUrl an absolute http(s) URL, e.g. {@code https://hubble.example.com}
 */
@Validated
@ConfigurationProperties("hubble.api")
public record PublicUrlProperties(@Nullable URI publicUrl) {

    /** The base URL of links built outside a request when {@code hubble.api.public-url} is unset. */
    public static final String FALLBACK = "http://localhost:8080";

    public PublicUrlProperties {
        if (publicUrl != null && !isHttpUrl(publicUrl)) {
            throw new IllegalArgumentException(
                    "hubble.api.public-url must be an absolute http(s) URL, got " + publicUrl);
        }
    }

    /** The configured URL, if there is one. */
    public Optional<URI> configured() {
        return Optional.ofNullable(publicUrl);
    }

    /** The configured URL, else {@value #FALLBACK}. */
    public URI orFallback() {
        return publicUrl != null ? publicUrl : URI.create(FALLBACK);
    }

    private static boolean isHttpUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }
}
