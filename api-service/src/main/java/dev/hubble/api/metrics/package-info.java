/** Metrics the API exports about jobs: what waits and runs per driver. */
@NonNullApi
package dev.hubble.api.metrics;

import org.springframework.lang.NonNullApi;
