/**
 * How a job is shown to the outside: {@link dev.hubble.core.view.JobDocument}, the one JSON
 * document that {@code GET /v1/jobs/{jobId}} answers and every status event carries, and
 * {@link dev.hubble.core.view.JobDocuments}, which builds it with freshly signed result links.
 */
@NonNullApi
package dev.hubble.core.view;

import org.springframework.lang.NonNullApi;
