/** Job logs for operators: the runners' {@code logTail}, served to the API through {@code JobLogWorkflow}. */
@NonNullApi
package dev.hubble.activities.log;

import org.springframework.lang.NonNullApi;
