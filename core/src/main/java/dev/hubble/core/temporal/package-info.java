/**
 * The Temporal contracts between the API, the workflows and the activities: the job workflow
 * and activity interfaces, their payloads, and task-queue naming.
 */
@NonNullApi
package dev.hubble.core.temporal;

import org.springframework.lang.NonNullApi;
