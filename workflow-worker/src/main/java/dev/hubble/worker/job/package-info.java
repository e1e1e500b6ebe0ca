/** The job workflow. */
@NonNullApi
package dev.hubble.worker.job;

import org.springframework.lang.NonNullApi;
