/**
 * The admission gate's contracts: one long-lived {@link dev.hubble.core.gate.GateWorkflow} per
 * driver grants at most its capacity of permits at once, highest priority first and FIFO within a
 * priority, and takes them back on release.
 *
 * <p>A job asks through {@link dev.hubble.core.gate.GateActivities#requestPermit} (signal-with-start,
 * so the first job of a driver starts its gate), waits for the gate's
 * {@link dev.hubble.core.gate.PermitHolder#permitGranted} signal, and signals
 * {@link dev.hubble.core.gate.GateWorkflow#release} when it finishes, whatever the outcome. Permits of
 * jobs that vanish without releasing come back on their own: a grant the gate cannot deliver frees
 * the slot at once, and a periodic liveness sweep frees the permits of holders that are no longer
 * running.
 */
@NonNullApi
package dev.hubble.core.gate;

import org.springframework.lang.NonNullApi;
