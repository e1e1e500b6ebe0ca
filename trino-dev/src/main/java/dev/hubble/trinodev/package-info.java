/**
 * A real Trino 483 (coordinator and worker in one JVM, {@code tpch} and {@code memory} catalogs)
 * run as a child process on a Java 25 runtime from a home the build assembles out of Maven
 * artifacts: {@link dev.hubble.trinodev.TrinoServerProcess}. For the tests and the local stack;
 * never part of a production jar.
 */
package dev.hubble.trinodev;
