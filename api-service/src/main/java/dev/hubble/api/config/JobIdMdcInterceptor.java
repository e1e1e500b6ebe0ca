package dev.hubble.api.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.lang.Nullable;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Puts the {@code jobId} path variable into the MDC under {@value #MDC_KEY} for the whole
 * request, including the exception handlers, and removes it afterwards. Values that cannot be a
 * job id stay out, so nobody can write arbitrary text into the log this way.
 */
final class JobIdMdcInterceptor implements HandlerInterceptor {

    /** The MDC key of the job id; the job service uses the same one while it submits a job. */
    static final String MDC_KEY = "jobId";

    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map
                && map.get("jobId") instanceof String jobId
                && JOB_ID.matcher(jobId).matches()) {
            MDC.put(MDC_KEY, jobId);
        }
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, @Nullable Exception ex) {
        MDC.remove(MDC_KEY);
    }
}
