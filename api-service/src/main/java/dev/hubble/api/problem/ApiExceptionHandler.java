package dev.hubble.api.problem;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place exceptions become problems. Spring MVC's own exceptions keep the base class's
 * answers, except those caused by bad input, which become {@code invalid-request} problems
 * naming the field; {@link ProblemException}s answer with their own problem; anything else is a
 * {@code 500 internal-error} whose cause is logged but never sent.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException e) {
        if (e.type().status().is5xxServerError()) {
            // The cause says why Temporal or Redis failed: the log gets its text (not a stack trace
            // per request during an outage), the response gets neither.
            log.warn("Answering {}: {} ({})", e.type().uri(), e.getBody().getDetail(), String.valueOf(e.getCause()));
        } else {
            log.debug("Answering {}: {}", e.type().uri(), e.getBody().getDetail());
        }
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).body(e.getBody());
    }

    /**
     * Spring Security's firewall refused a header or parameter when it was read. Its message
     * quotes the value, which may be a credential: neither the log nor the answer gets it.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> handleRejected(RequestRejectedException e) {
        log.debug("Refused a request the firewall rejected");
        ProblemDetail problem =
                ProblemType.INVALID_REQUEST.problem("a header or parameter holds characters that are not allowed");
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem =
                ProblemType.INTERNAL_ERROR.problem("The server failed to answer; the error has been logged.");
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        InvalidRequestException invalid = JsonInputProblems.of(e.getCause(), "body");
        log.debug("Unreadable request body: {}", invalid.getBody().getDetail());
        return invalid(invalid);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        return invalid(InvalidRequestException.of(
                field == null ? "request" : field, JsonInputProblems.expected(e.getRequiredType())));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(InvalidRequestException.of(e.getParameterName(), "is required"));
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(
            ServletRequestBindingException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (e instanceof MissingRequestHeaderException missing) {
            return invalid(InvalidRequestException.of(missing.getHeaderName(), "is required"));
        }
        return super.handleServletRequestBindingException(e, headers, status, request);
    }

    private static ResponseEntity<Object> invalid(InvalidRequestException e) {
        return ResponseEntity.status(e.getStatusCode()).body(e.getBody());
    }
}
