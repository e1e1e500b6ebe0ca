package dev.hubble.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.api.problem.ProblemType;
import dev.hubble.core.security.JobTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The API's security: with {@code hubble.api.auth.jwt.*} unset every call is allowed (the local
 * stack, which listens on loopback only); with it set, every {@code /v1} call needs a bearer
 * token, either a JWT signed by the configured issuer or a running job's own token. Three kinds
 * of call authenticate otherwise and are left to their controllers: a job's error and status
 * reports (its job token, checked there with precise answers) and result downloads (the signed
 * link). 401 and 403 are problems like every other error. No sessions, no cookies, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiAuthProperties.class)
public class SecurityConfiguration {

    /** Calls that carry their own credential, checked by their controller. */
    private static final Pattern OWN_CREDENTIAL = Pattern.compile("/v1/jobs/[^/]+/(errors|status|results/.*)");

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiAuthProperties auth, JobTokens tokens, ObjectMapper json)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable());
        if (!auth.enabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .build();
        }
        ProviderManager authentication = new ProviderManager(
                new JwtAuthenticationProvider(jwtDecoder(auth.jwt())), new JobTokenAuthenticationProvider(tokens));
        AuthenticationEntryPoint unauthenticated = problem(new BearerTokenAuthenticationEntryPoint(), json);
        return http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                request -> OWN_CREDENTIAL.matcher(path(request)).matches())
                        .permitAll()
                        .requestMatchers("/v1/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(server -> server.bearerTokenResolver(ownCredentialsAside())
                        .authenticationManagerResolver(request -> authentication)
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(problem(new BearerTokenAccessDeniedHandler(), json)))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthenticated))
                .build();
    }

    /**
     * Spring Security's firewall refuses URLs no client of this API needs and path traversal
     * hides behind (encoded slashes and dots, dot segments, ...), whether authentication is on or
     * not. It answers with a problem, like every other error, without echoing the URL.
     */
    @Bean
    RequestRejectedHandler problemForRejectedUrls(ObjectMapper json) {
        return (request, response, e) -> {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            write(
                    response,
                    ProblemType.INVALID_REQUEST.problem(
                            "the URL is not acceptable: no encoded slashes or dots, no dot segments, no control characters"),
                    json);
        };
    }

    private static NimbusJwtDecoder jwtDecoder(ApiAuthProperties.Jwt jwt) {
        NimbusJwtDecoder decoder = jwt.jwkSetUri() != null
                ? NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString()).build()
                : NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri().toString())
                        .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                jwt.issuerUri() != null
                        ? JwtValidators.createDefaultWithIssuer(jwt.issuerUri().toString())
                        : JwtValidators.createDefault());
        if (jwt.audience() != null) {
            validators.add(new JwtClaimValidator<List<String>>(
                    JwtClaimNames.AUD, audiences -> audiences != null && audiences.contains(jwt.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    /** Bearer tokens, except on the calls whose controllers check their own credential. */
    private static BearerTokenResolver ownCredentialsAside() {
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return request -> OWN_CREDENTIAL.matcher(path(request)).matches() ? null : bearer.resolve(request);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** The status and WWW-Authenticate header of Spring Security's handler, with a problem as the body. */
    private static AuthenticationEntryPoint problem(AuthenticationEntryPoint entryPoint, ObjectMapper json) {
        return (request, response, e) -> {
            entryPoint.commence(request, response, e);
            write(response, ProblemType.UNAUTHENTICATED.problem(detail(e)), json);
        };
    }

    private static AccessDeniedHandler problem(AccessDeniedHandler handler, ObjectMapper json) {
        return (request, response, e) -> {
            handler.handle(request, response, e);
            write(response, ProblemType.FORBIDDEN.problem("you may not make this call"), json);
        };
    }

    private static String detail(AuthenticationException e) {
        return e.getMessage() != null && e.getMessage().startsWith("neither")
                ? "the bearer token is neither a valid JWT nor a valid job token"
                : "send a valid bearer token: 'Authorization: Bearer <JWT>'";
    }

    private static void write(HttpServletResponse response, ProblemDetail problem, ObjectMapper json)
            throws IOException {
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
