/** The state activity: records every transition of a job in the store and as a status event. */
@NonNullApi
package dev.hubble.activities.state;

import org.springframework.lang.NonNullApi;
