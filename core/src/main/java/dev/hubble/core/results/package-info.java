/**
 * Where result files live, and their download links, signed at read time.
 *
 * <p>Every job has a result location, a URI prefix chosen when it is accepted and recorded in
 * its spec. A {@link dev.hubble.core.results.ResultStore} serves the locations of one URI scheme
 * and holds both the writing and the link signing of its storage: {@code s3} (presigned GETs)
 * and {@code local} ({@code file:} locations, links served by the API). {@link
 * dev.hubble.core.results.ResultStores} is the one place that picks a new job's store (by its
 * driver) and a location's store (by its scheme).
 */
@NonNullApi
package dev.hubble.core.results;

import org.springframework.lang.NonNullApi;
