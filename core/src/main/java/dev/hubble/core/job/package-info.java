/**
 * The job model shared by every Hubble module: what was asked ({@link dev.hubble.core.job.JobSpec}),
 * where a job is ({@link dev.hubble.core.job.JobState}), and the record of both
 * ({@link dev.hubble.core.job.JobRecord}). All types are immutable records.
 */
@NonNullApi
package dev.hubble.core.job;

import org.springframework.lang.NonNullApi;
