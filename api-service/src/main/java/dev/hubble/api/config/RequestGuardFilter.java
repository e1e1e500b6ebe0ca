package dev.hubble.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.lang.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers, before anything else reads them, requests that the frameworks below would otherwise
 * fail on with a 500: a {@code Content-Type} that is a wildcard or cannot be parsed (Spring
 * MVC asserts it is neither), a direct request for Spring Boot's {@code /error} page (it reports
 * status 999 or 500 when no error is being handled), and a Prometheus scrape that accepts no
 * format the endpoint writes; a blank {@code Accept} is taken as none. The answers are problems,
 * as every other error.
 */
final class RequestGuardFilter extends OncePerRequestFilter {

    private static final List<MediaType> SCRAPE_FORMATS =
            List.of(MediaType.TEXT_PLAIN, MediaType.parseMediaType("application/openmetrics-text"));

    private static final String ACCEPT = "Accept";

    private final ObjectMapper json;

    RequestGuardFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (request.getDispatcherType() == DispatcherType.REQUEST
                && (path.equals("/error") || path.startsWith("/error/"))) {
            answer(response, HttpStatus.NOT_FOUND, "no such resource");
            return;
        }
        if (!isSingleMediaType(request.getContentType())) {
            answer(
                    response,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must name one media type, e.g. application/json");
            return;
        }
        if (path.equals("/actuator/prometheus") && !acceptsAny(request.getHeader(ACCEPT), SCRAPE_FORMATS)) {
            answer(
                    response,
                    HttpStatus.NOT_ACCEPTABLE,
                    "metrics are served as text/plain or application/openmetrics-text");
            return;
        }
        String accept = request.getHeader(ACCEPT);
        chain.doFilter(accept != null && accept.isBlank() ? new WithoutAccept(request) : request, response);
    }

    /**
     * The request without its blank {@code Accept} header: blank means "anything" as much as no
     * header does, but some endpoints (the Prometheus scrape) fail on it instead.
     */
    private static final class WithoutAccept extends HttpServletRequestWrapper {

        WithoutAccept(HttpServletRequest request) {
            super(request);
        }

        @Override
        public @Nullable String getHeader(String name) {
            return ACCEPT.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return ACCEPT.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !ACCEPT.equalsIgnoreCase(name))
                    .toList());
        }
    }

    private static boolean isSingleMediaType(@Nullable String contentType) {
        if (contentType == null) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static boolean acceptsAny(@Nullable String accept, List<MediaType> produced) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(a -> produced.stream().anyMatch(a::isCompatibleWith));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private void answer(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemDetail.forStatusAndDetail(status, detail));
    }
}
