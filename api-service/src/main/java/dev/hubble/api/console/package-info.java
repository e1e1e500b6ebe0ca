/**
 * The job console at {@code /console}: static HTML and JavaScript (under
 * {@code static/console/}, no build step) over the REST API: jobs newest first with filters, and
 * one job's state, error, result links, log tail and timeline. Read-only.
 */
@NonNullApi
package dev.hubble.api.console;

import org.springframework.lang.NonNullApi;
