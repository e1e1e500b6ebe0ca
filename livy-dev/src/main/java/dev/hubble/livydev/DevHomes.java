package dev.hubble.livydev;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the build left the Livy home ({@code livy-dev/target/livy-home}), the Spark home
 * ({@code spark-job/target/spark-home}) and the spark-job jar
 * ({@code spark-job/target/hubble-spark-job.jar}).
 *
 * <p>Each is taken from a system property when set ({@value #LIVY_HOME}, {@value #SPARK_HOME},
 * {@value #SPARK_JOB_JAR}; the modules' surefire settings set them), else found by walking up from
 * the working directory (or from the jar the JVM runs) to the repository root.
 */
public final class DevHomes {

    /** System property naming the Livy home. */
    public static final String LIVY_HOME = "hubble.livy.home";
    /** System property naming the Spark home. */
    public static final String SPARK_HOME = "hubble.spark.home";
    /** System property naming the spark-job jar. */
    public static final String SPARK_JOB_JAR = "hubble.spark-job.jar";

    private DevHomes() {}

    /** The Livy home: {@code jars/} holds livy-server and its dependencies. */
    public static Path livyHome() {
        return find(LIVY_HOME, "livy-dev/target/livy-home");
    }

    /** The Spark home: {@code jars/} and {@code bin/spark-submit}. */
    public static Path sparkHome() {
        return find(SPARK_HOME, "spark-job/target/spark-home");
    }

    /** The spark-job jar Livy batches run. */
    public static Path sparkJobJar() {
        return find(SPARK_JOB_JAR, "spark-job/target/hubble-spark-job.jar");
    }

    private static Path find(String property, String relative) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                throw new IllegalStateException(property + " names " + path + ", which does not exist: build it with"
                        + " ./mvnw -pl livy-dev -am verify -DskipTests");
            }
            return path;
        }
        return search(relative)
                .orElseThrow(() -> new IllegalStateException("no " + relative + " above "
                        + Path.of("").toAbsolutePath() + ": build it with ./mvnw -pl livy-dev -am verify -DskipTests,"
                        + " or set the system property " + property));
    }

    /** Above the working directory, else above the jar this JVM runs ({@code java -jar .../hubble-dev.jar}). */
    private static Optional<Path> search(String relative) {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        String classpath = System.getProperty("java.class.path", "");
        if (!classpath.isEmpty() && !classpath.contains(File.pathSeparator) && classpath.endsWith(".jar")) {
            starts.add(Path.of(classpath).toAbsolutePath().getParent());
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(relative);
                if (Files.exists(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }
}
