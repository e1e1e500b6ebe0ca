/** The job-state store: the newest record of every job, for status reads and listings. */
@NonNullApi
package dev.hubble.core.store;

import org.springframework.lang.NonNullApi;
