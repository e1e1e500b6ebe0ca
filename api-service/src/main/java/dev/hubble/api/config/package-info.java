/** Wiring of the API application and its {@code hubble.api.*} properties. */
@NonNullApi
package dev.hubble.api.config;

import org.springframework.lang.NonNullApi;
