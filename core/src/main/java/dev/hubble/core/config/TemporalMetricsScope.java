package dev.hubble.core.config;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * The Temporal SDK's metrics scope, reporting to a Micrometer registry every
 * {@link #REPORT_EVERY}. Closing it reports once more and stops the reporting thread.
 */
public final class TemporalMetricsScope implements AutoCloseable {

    /** How often the SDK's figures reach the registry; shorter than any sensible scrape interval. */
    public static final com.uber.m3.util.Duration REPORT_EVERY = com.uber.m3.util.Duration.ofSeconds(5);

    private final Scope scope;

    private TemporalMetricsScope(Scope scope) {
        this.scope = scope;
    }

    /** A scope whose metrics go to {@code registry}. */
    public static TemporalMetricsScope reportingTo(MeterRegistry registry) {
        return new TemporalMetricsScope(new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(REPORT_EVERY));
    }

    /** The scope to hand to {@code WorkflowServiceStubsOptions.setMetricsScope}. */
    public Scope scope() {
        return scope;
    }

    @Override
    public void close() {
        try {
            scope.close();
        } catch (ScopeCloseException e) {
            // The last report is lost at shutdown: nothing to do about it.
        }
    }
}
