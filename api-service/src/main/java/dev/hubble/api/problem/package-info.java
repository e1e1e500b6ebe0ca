/**
 * Errors as RFC 9457 {@code application/problem+json}. Every problem Hubble defines has a stable
 * type URI {@code urn:hubble:problem:<name>} ({@link dev.hubble.api.problem.ProblemType}); features
 * throw subclasses of {@link dev.hubble.api.problem.ProblemException}, and one advice turns those,
 * Spring MVC's own exceptions and anything unexpected into problems. Responses never carry an
 * exception's text or stack trace.
 */
@NonNullApi
package dev.hubble.api.problem;

import org.springframework.lang.NonNullApi;
