/** The short-lived workflow that fetches a job's log tail on its driver's task queue. */
@NonNullApi
package dev.hubble.worker.log;

import org.springframework.lang.NonNullApi;
