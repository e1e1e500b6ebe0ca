package dev.hubble.core.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The web server's port is taken: names {@code server.port}, which Spring Boot's own analysis
 * leaves the reader to guess.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class PortInUseAnalyzer extends AbstractFailureAnalyzer<PortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
        return new FailureAnalysis(
                "The web server cannot listen on port " + cause.getPort() + ": it is in use.",
                "Set server.port to a free port (0 picks one), or stop the process that listens on " + cause.getPort()
                        + ".",
                cause);
    }
}
