package dev.hubble.sparkjob;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopPathsTest {

    @Test
    void anS3PathIsReadThroughS3aWhenNothingServesS3() {
        Configuration hadoop = new Configuration();

        assertThat(HadoopPaths.of("s3://results/hubble/jobs/j-1/_job.json", hadoop))
                .isEqualTo("s3a://results/hubble/jobs/j-1/_job.json");
    }

    @Test
    void anS3PathStaysWhenTheClusterServesS3ItselfAsEmrDoes() {
        Configuration hadoop = new Configuration();
        hadoop.set("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");

        assertThat(HadoopPaths.of("s3://results/jobs/j-1/", hadoop)).isEqualTo("s3://results/jobs/j-1/");
    }

    @Test
    void otherSchemesAreLeftAlone() {
        Configuration hadoop = new Configuration();

        assertThat(HadoopPaths.of("s3a://results/jobs/j-1/", hadoop)).isEqualTo("s3a://results/jobs/j-1/");
        assertThat(HadoopPaths.of("file:///tmp/jobs/j-1/", hadoop)).isEqualTo("file:///tmp/jobs/j-1/");
    }
}
