/**
 * Downloads from the local result store: {@code GET /v1/jobs/{jobId}/results/{name}} serves
 * {@code <hubble.results.local.dir>/<jobId>/<name>} to whoever holds a valid signed link
 * ({@link dev.hubble.core.results.LocalResultLinks}). Active only with the local result store
 * ({@code hubble.results.store=local}, the default); other stores hand out their own links.
 */
@NonNullApi
package dev.hubble.api.results;

import org.springframework.lang.NonNullApi;
