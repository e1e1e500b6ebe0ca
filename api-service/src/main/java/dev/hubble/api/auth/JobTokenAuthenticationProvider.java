package dev.hubble.api.auth;

import dev.hubble.core.security.JobTokens;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Accepts a bearer token that is a genuine, unexpired job token, as that job: a Python job
 * submits its children and waits for them with its own token, not a JWT.
 */
final class JobTokenAuthenticationProvider implements AuthenticationProvider {

    private final JobTokens tokens;

    JobTokenAuthenticationProvider(JobTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public JobTokenAuthentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        return tokens.holder(token)
                .map(JobTokenAuthentication::new)
                .orElseThrow(() -> new InvalidBearerTokenException("neither a valid JWT nor a valid job token"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
