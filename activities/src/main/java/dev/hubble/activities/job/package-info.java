/** The job activities: drivers' runners adapted to Temporal. */
@NonNullApi
package dev.hubble.activities.job;

import org.springframework.lang.NonNullApi;
