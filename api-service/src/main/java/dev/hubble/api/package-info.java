/**
 * Hubble's API application. One package per feature: {@code jobs} (submit, status, list,
 * cancel, error reports), {@code results} (downloads from the local result store),
 * {@code problem} (how every error becomes an RFC 9457 problem), {@code config} (wiring and the
 * {@code hubble.api.*} properties).
 */
@NonNullApi
package dev.hubble.api;

import org.springframework.lang.NonNullApi;
