/**
 * The {@code trino} driver: read-only SQL on a Trino coordinator over its client REST protocol,
 * the rows streamed through the worker into CSV or Parquet ({@link
 * dev.hubble.activities.trino.TrinoRunner}, settings in {@link
 * dev.hubble.activities.trino.TrinoProperties}).
 */
@NonNullApi
package dev.hubble.activities.trino;

import org.springframework.lang.NonNullApi;
