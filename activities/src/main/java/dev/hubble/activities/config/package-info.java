/** Spring wiring of the activities, runners and result stores. */
@NonNullApi
package dev.hubble.activities.config;

import org.springframework.lang.NonNullApi;
