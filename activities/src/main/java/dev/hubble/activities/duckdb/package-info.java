/** The {@code duckdb} driver: SQL in an embedded DuckDB, for the local stack and tests. */
@NonNullApi
package dev.hubble.activities.duckdb;

import org.springframework.lang.NonNullApi;
