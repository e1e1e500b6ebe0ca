package dev.hubble.api.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring MVC settings: the job id of every {@code /v1/jobs/{jobId}/...} request goes into the MDC. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new JobIdMdcInterceptor()).addPathPatterns("/v1/jobs/*", "/v1/jobs/*/**");
    }
}
