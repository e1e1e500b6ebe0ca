package dev.hubble.api.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by a job's token: its principal is the job id, never the token. */
final class JobTokenAuthentication extends AbstractAuthenticationToken {

    private final String jobId;

    JobTokenAuthentication(String jobId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_JOB")));
        this.jobId = jobId;
        setAuthenticated(true);
    }

    String jobId() {
        return jobId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return jobId;
    }
}
