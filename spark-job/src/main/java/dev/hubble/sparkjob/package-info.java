/**
 * The program Livy runs inside Spark for Hubble's {@code spark} driver: {@link
 * dev.hubble.sparkjob.SparkJob}. No Spring and no dependency beyond what Spark ships, so the jar
 * runs on any Spark 3.5 / Scala 2.12 cluster (EMR 6 on Java 8, EMR 7 on Java 17).
 */
package dev.hubble.sparkjob;
