/** What the API knows of the drivers' gates: snapshots refreshed in the background. */
@NonNullApi
package dev.hubble.api.gates;

import org.springframework.lang.NonNullApi;
