/**
 * The per-driver admission gate: {@link dev.hubble.worker.gate.GateWorkflowImpl}, one long-lived
 * workflow per driver, and {@link dev.hubble.worker.gate.GatePermit}, the part a job workflow uses
 * to acquire and release its permit. Contracts and payloads live in {@code dev.hubble.core.gate}.
 *
 * <p>Every driver's worker registers {@code GateWorkflowImpl} and the gate activities on the
 * driver's own task queue, so gates of different drivers never wait on each other's workers.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Capacity.</b> Every request carries the capacity its worker's configuration gives the
 *       driver; a value that differs from the last configured one becomes the capacity, so a
 *       configuration change reaches a running gate with the next request. A {@code setCapacity}
 *       signal overrides it until the configuration changes again. While workers with different
 *       configurations run side by side (a rolling deploy) the capacity follows the latest
 *       request. Lowering it never revokes a held permit.
 *   <li><b>Returning permits.</b> The job releases in a detached scope on every way out. A grant
 *       that cannot be delivered (the job's workflow is gone) frees the slot at once. The liveness
 *       sweep describes only holders (at most {@code capacity} calls); a waiting job whose
 *       workflow is gone costs nothing until its turn, when its undeliverable grant frees the slot.
 *       Describing by workflow id without run id sees a job that continued as new as running.
 *   <li><b>History.</b> A run continues as new after {@code maxStepsPerRun} steps (signals,
 *       grants, sweeps; default 1,000, about 3,500 to 4,100 events measured) or when Temporal
 *       suggests it. An idle gate sets no timer and writes no history.
 *   <li><b>Resetting a gate.</b> Terminating a gate forgets its holders and its queue: the next
 *       request starts a fresh gate, which may admit more than the capacity until the forgotten
 *       holders finish. Waiting jobs ask again every ten minutes, so none waits for ever. Prefer
 *       {@code setCapacity} to terminating.
 * </ul>
 */
@NonNullApi
package dev.hubble.worker.gate;

import org.springframework.lang.NonNullApi;
