/**
 * The {@code python} driver: a Python job run as an AWS Batch container job
 * ({@link dev.hubble.activities.batch.BatchRunner}), its logs read from CloudWatch Logs. The job
 * sees the same environment contract as on {@code local-python}
 * ({@link dev.hubble.activities.runner.JobEnvironment}) and writes its results straight to its
 * location. Settings: {@link dev.hubble.activities.batch.PythonBatchProperties}.
 */
@NonNullApi
package dev.hubble.activities.batch;

import org.springframework.lang.NonNullApi;
