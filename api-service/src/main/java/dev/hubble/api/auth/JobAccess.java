package dev.hubble.api.auth;

import dev.hubble.api.jobs.SubmitJobRequest;
import dev.hubble.core.job.JobRecord;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.lang.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Who may do what with a job, once {@code hubble.api.auth} is on: a caller authenticated by a
 * JWT submits jobs under its own subject as source, and reads, cancels and lists only the jobs
 * of that source, unless it has the admin role; a running job (authenticated by its token)
 * submits children of its own, under its own source, and reads and cancels itself and its
 * children. With authentication off every call is allowed.
 */
@Component
public final class JobAccess {

    /** Finds the source of a job by its id: the parent of a child a job submits. */
    @FunctionalInterface
    public interface Sources {
        String sourceOf(String jobId);
    }

    private final ApiAuthProperties properties;

    JobAccess(ApiAuthProperties properties) {
        this.properties = properties;
    }

    /**
     * The request as it may be submitted by the caller: its source set as
     * {@code hubble.api.auth.source} says.
     *
     * @throws AccessDeniedProblem if the caller may not submit it
     */
    public SubmitJobRequest submittable(SubmitJobRequest request, Sources sources) {
        Caller caller = caller();
        if (caller instanceof Caller.User user) {
            if (properties.source() == ApiAuthProperties.SourceRule.SUBJECT) {
                return withSource(request, user.subject());
            }
            if (!user.subject().equals(request.source())) {
                throw new AccessDeniedProblem("the job's source must be your own, " + user.subject());
            }
            return request;
        }
        if (caller instanceof Caller.Job job) {
            if (!job.jobId().equals(request.parentJobId())) {
                throw new AccessDeniedProblem("a job may submit only its own children: set parentJobId to its id");
            }
            return withSource(request, sources.sourceOf(job.jobId()));
        }
        return request;
    }

    /**
     * Checks that the caller may read or cancel {@code job}.
     *
     * @throws AccessDeniedProblem if it may not
     */
    public void checkAccess(JobRecord job) {
        Caller caller = caller();
        boolean allowed;
        if (caller instanceof Caller.User user) {
            allowed = user.admin() || user.subject().equals(job.spec().source());
        } else if (caller instanceof Caller.Job self) {
            allowed = self.jobId().equals(job.jobId())
                    || self.jobId().equals(job.spec().parentJobId());
        } else {
            allowed = true;
        }
        if (!allowed) {
            throw new AccessDeniedProblem("only the job's source may see or cancel it");
        }
    }

    /**
     * Checks that the caller may read or cancel job {@code jobId}; looks the job up with
     * {@code records} only when authentication is on.
     *
     * @throws AccessDeniedProblem if it may not
     */
    public void checkAccess(String jobId, Function<String, JobRecord> records) {
        if (properties.enabled()) {
            checkAccess(records.apply(jobId));
        }
    }

    /**
     * The source to list jobs of: the caller's own unless it is an admin.
     *
     * @throws AccessDeniedProblem if the caller asks for another source's jobs, or is a job
     */
    public @Nullable String listableSource(@Nullable String source) {
        Caller caller = caller();
        if (caller instanceof Caller.User user) {
            if (user.admin()) {
                return source;
            }
            if (source != null && !source.equals(user.subject())) {
                throw new AccessDeniedProblem("you may list only the jobs of your own source, " + user.subject());
            }
            return user.subject();
        }
        if (caller instanceof Caller.Job) {
            throw new AccessDeniedProblem("a job may not list jobs");
        }
        return source;
    }

    private Caller caller() {
        if (!properties.enabled()) {
            return new Caller.Anyone();
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return new Caller.User(
                    jwt.getToken().getSubject(), roles(jwt.getToken()).contains(properties.adminRole()));
        }
        if (authentication instanceof JobTokenAuthentication job) {
            return new Caller.Job(job.jobId());
        }
        // The security filter chain lets no unauthenticated /v1 call through; never be lenient here.
        throw new AccessDeniedProblem("authentication required");
    }

    private Collection<String> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(properties.rolesClaim());
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        return List.of();
    }

    private static SubmitJobRequest withSource(SubmitJobRequest r, @Nullable String source) {
        return Objects.equals(source, r.source())
                ? r
                : new SubmitJobRequest(
                        r.query(),
                        r.driver(),
                        r.format(),
                        source,
                        r.sourceId(),
                        r.sourceKind(),
                        r.sourceVersion(),
                        r.priority(),
                        r.timeout(),
                        r.parameters(),
                        r.parentJobId());
    }
}
