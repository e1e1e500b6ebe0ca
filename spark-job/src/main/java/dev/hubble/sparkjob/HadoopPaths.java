package dev.hubble.sparkjob;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Hubble names S3 locations {@code s3://bucket/key}. On EMR that scheme is EMRFS, the file system
 * to use there; a Spark without one (open-source Spark, the local stack's) reads and writes S3
 * through {@code s3a://}, so such a path is taken as {@code s3a://} with the same bucket and key.
 * S3A's settings (endpoint, path-style access, credentials provider) come from Spark conf
 * ({@code spark.hadoop.fs.s3a.*}), never from the job file.
 */
final class HadoopPaths {

    private HadoopPaths() {}

    /** {@code path} as this Spark's Hadoop reads it: {@code s3://} becomes {@code s3a://} when nothing serves {@code s3}. */
    static String of(String path, Configuration hadoop) {
        if (!path.startsWith("s3://")) {
            return path;
        }
        try {
            FileSystem.getFileSystemClass("s3", hadoop);
            return path;
        } catch (IOException e) {
            return "s3a://" + path.substring("s3://".length());
        }
    }
}
