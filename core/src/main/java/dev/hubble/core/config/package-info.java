/** Spring wiring shared by the API and the workers. */
@NonNullApi
package dev.hubble.core.config;

import org.springframework.lang.NonNullApi;
