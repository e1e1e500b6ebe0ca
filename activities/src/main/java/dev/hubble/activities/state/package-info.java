/** The state activity: records every transition of a job. */
@NonNullApi
package dev.hubble.activities.state;

import org.springframework.lang.NonNullApi;
