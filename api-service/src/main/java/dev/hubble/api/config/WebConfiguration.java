package dev.hubble.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.FormContentFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC settings: the job id of every {@code /v1/jobs/{jobId}/...} request goes into the
 * MDC; requests the frameworks would fail on are answered first ({@link RequestGuardFilter}).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<RequestGuardFilter> requestGuardFilter(ObjectMapper json) {
        FilterRegistrationBean<RequestGuardFilter> registration =
                new FilterRegistrationBean<>(new RequestGuardFilter(json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * The API reads no form bodies. Spring Boot's filter that parses them for PUT, PATCH and
     * DELETE would only add a way to fail (a 500 on a body that is not a form); this one, in its
     * place, never parses.
     */
    @Bean
    FormContentFilter formContentFilter() {
        return new FormContentFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return true;
            }
        };
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new JobIdMdcInterceptor()).addPathPatterns("/v1/jobs/*", "/v1/jobs/*/**");
    }
}
