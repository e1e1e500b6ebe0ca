/**
 * The {@code spark} driver: SQL jobs as Apache Livy batches of the spark-job program
 * ({@link dev.hubble.activities.livy.LivyRunner}), configured under
 * {@code hubble.drivers.spark.livy.*} ({@link dev.hubble.activities.livy.LivyProperties}) and
 * wired by {@link dev.hubble.activities.livy.LivyAutoConfiguration} when Livy's URL is set.
 * Small files in a job's location go through {@link dev.hubble.activities.livy.LocationFiles}.
 */
@NonNullApi
package dev.hubble.activities.livy;

import org.springframework.lang.NonNullApi;
