/**
 * The local result store: {@code file:} locations in one directory shared by the workers and the
 * API, and the API's HMAC-signed download links to them.
 */
@NonNullApi
package dev.hubble.core.results.local;

import org.springframework.lang.NonNullApi;
