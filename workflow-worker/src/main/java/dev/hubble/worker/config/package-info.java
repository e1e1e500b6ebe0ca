/** Worker pools: one Temporal worker per driver task queue. */
@NonNullApi
package dev.hubble.worker.config;

import org.springframework.lang.NonNullApi;
