/**
 * The driver SPI ({@link dev.hubble.activities.runner.JobRunner}): one implementation per engine,
 * in a package of its own beside this one.
 */
@NonNullApi
package dev.hubble.activities.runner;

import org.springframework.lang.NonNullApi;
