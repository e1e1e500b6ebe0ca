/**
 * A real Apache Livy 0.7.1 server with local Spark 3.5, run as child processes from homes the
 * build assembles out of Maven artifacts: {@link dev.hubble.livydev.LivyServerProcess}. For the
 * end-to-end tests and the local stack; never part of a production jar.
 */
package dev.hubble.livydev;
