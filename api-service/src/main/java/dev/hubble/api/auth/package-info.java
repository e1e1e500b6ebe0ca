/**
 * Who may call the API: off by default (the local stack listens on loopback only), a JWT
 * resource server with per-source ownership of jobs once {@code hubble.api.auth.jwt.*} is set.
 * Running jobs authenticate with their job token.
 */
@NonNullApi
package dev.hubble.api.auth;

import org.springframework.lang.NonNullApi;
