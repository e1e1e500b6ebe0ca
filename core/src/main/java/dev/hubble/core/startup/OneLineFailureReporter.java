package dev.hubble.core.startup;

import java.io.PrintStream;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Ends a failed start with one line on standard error that says what is wrong and what to
 * change, after Spring Boot's multi-line report: the last word of a failed start is never a
 * stack trace.
 */
@Order(Ordered.LOWEST_PRECEDENCE)
public final class OneLineFailureReporter implements FailureAnalysisReporter {

    /** What the line starts with. */
    public static final String PREFIX = "Hubble did not start: ";

    private final PrintStream out;

    public OneLineFailureReporter() {
        this(System.err);
    }

    OneLineFailureReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void report(FailureAnalysis analysis) {
        String action = analysis.getAction() == null ? "" : " " + analysis.getAction();
        out.println(PREFIX + (analysis.getDescription() + action).replaceAll("\\s+", " ").strip());
        out.flush();
    }
}
