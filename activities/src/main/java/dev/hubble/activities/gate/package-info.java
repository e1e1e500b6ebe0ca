/** The gate activities: signal-with-start of a driver's gate, and the liveness check of its holders. */
@NonNullApi
package dev.hubble.activities.gate;

import org.springframework.lang.NonNullApi;
