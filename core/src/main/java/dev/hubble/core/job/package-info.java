/**
 * The job model shared by every Hubble module: what was asked ({@link dev.hubble.core.job.JobSpec}),
 * where a job is ({@link dev.hubble.core.job.JobState}), and the record of both
 * ({@link dev.hubble.core.job.JobRecord}), all immutable records; and the naming rule of Python jobs
 * ({@link dev.hubble.core.job.PythonJobNames}).
 */
@NonNullApi
package dev.hubble.core.job;

import org.springframework.lang.NonNullApi;
