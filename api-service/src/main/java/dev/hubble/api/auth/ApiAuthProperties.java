package dev.hubble.api.auth;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API ({@code hubble.api.auth.*}). Off unless a JWT issuer or JWK set is set:
 * then every {@code /v1} call needs a valid bearer JWT (or, for the calls a running job makes,
 * its job token), and a caller sees and cancels only the jobs of its own source.
 *
 * @param jwt where the signing keys of bearer JWTs come from
 * @param source how a job's {@code source} relates to the caller's subject
 * @param rolesClaim the JWT claim that lists the caller's roles: a list, or a string of
 *     space-separated values (as {@code scope})
 * @param adminRole the role that may read, cancel and list every job
 */
@Validated
@ConfigurationProperties("hubble.api.auth")
public record ApiAuthProperties(
        @DefaultValue Jwt jwt,
        @DefaultValue("subject") SourceRule source,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("hubble-admin") String adminRole) {

    /**
     * The JWT resource server.
     *
     * @param issuerUri the issuer: tokens must name it ({@code iss}); its keys are found through
     *     its OpenID/OAuth metadata unless {@code jwkSetUri} is set
     * @param jwkSetUri the JWK set of the keys tokens are signed with
     * @param audience when set, tokens must name it in {@code aud}
     */
    public record Jwt(
            @Nullable URI issuerUri,
            @Nullable URI jwkSetUri,
            @Nullable String audience) {}

    /** How the source of a submitted job is decided. */
    public enum SourceRule {
        /** The job's source is the caller's subject, whatever the request says. */
        SUBJECT,
        /** The request names the source, and it must be the caller's subject. */
        MATCH
    }

    /** Whether callers must authenticate. */
    public boolean enabled() {
        return jwt.issuerUri() != null || jwt.jwkSetUri() != null;
    }
}
