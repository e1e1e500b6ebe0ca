package dev.hubble.core.startup;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Keeps the analysis of a failed start as one line that says what is wrong and what to change.
 * {@link Startup#runOrExit} prints it as the very last word of a failed start, after Spring
 * Boot's multi-line report (reporters run in no fixed order, so this one does not print).
 */
public final class OneLineFailureReporter implements FailureAnalysisReporter {

    /** What the line starts with. */
    public static final String PREFIX = "Hubble did not start: ";

    // One per JVM, like the start it describes; a later failed start replaces it.
    private static final AtomicReference<String> LAST = new AtomicReference<>();

    @Override
    public void report(FailureAnalysis analysis) {
        String action = analysis.getAction() == null ? "" : " " + analysis.getAction();
        LAST.set(PREFIX
                + (analysis.getDescription() + action).replaceAll("\\s+", " ").strip());
    }

    /** The line for the last failed start of this JVM that an analyzer explained. */
    public static Optional<String> lastFailure() {
        return Optional.ofNullable(LAST.get());
    }
}
