/**
 * Downloads from the local result store: {@code GET /v1/jobs/{jobId}/results/{name}} serves
 * {@code <hubble.results.local.dir>/<jobId>/<name>} to whoever holds a valid signed link
 * ({@link dev.hubble.core.results.local.LocalResultLinks}): the links of jobs whose location is
 * {@code file:}. Active when some driver uses the local store or {@code hubble.results.local.dir}
 * is set; S3 locations get presigned links that S3 itself serves.
 */
@NonNullApi
package dev.hubble.api.results;

import org.springframework.lang.NonNullApi;
