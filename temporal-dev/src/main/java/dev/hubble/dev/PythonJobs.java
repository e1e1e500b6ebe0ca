package dev.hubble.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Finds the Python jobs and the {@code hubble_job} helper for the local stack's
 * {@code local-python} driver: the repository's {@code examples/python-jobs} and
 * {@code clients/python} when the stack runs from a checkout, else copies of them bundled in the
 * jar, unpacked under the data directory. Explicit properties win.
 */
final class PythonJobs {

    private static final String JOBS_DIR = "hubble.drivers.local-python.jobs-dir";
    private static final String HELPER_PATH = "hubble.drivers.local-python.helper-path";

    private PythonJobs() {}

    /** The properties to add: where the jobs and the helper are. */
    static Map<String, Object> locate(Environment environment, Path dataDir) {
        Map<String, Object> located = new HashMap<>();
        if (!environment.containsProperty(JOBS_DIR)) {
            Path checkout = Path.of("examples", "python-jobs");
            located.put(
                    JOBS_DIR,
                    Files.isDirectory(checkout)
                            ? checkout.toAbsolutePath().toString()
                            : unpack("hubble-dev/python-jobs/*.py", dataDir.resolve("python-jobs"))
                                    .toString());
        }
        if (!environment.containsProperty(HELPER_PATH)) {
            Path checkout = Path.of("clients", "python");
            located.put(
                    HELPER_PATH,
                    Files.isRegularFile(checkout.resolve("hubble_job.py"))
                            ? checkout.toAbsolutePath().toString()
                            : unpack("hubble-dev/python-client/*.py", dataDir.resolve("python-client"))
                                    .toString());
        }
        return located;
    }

    private static Path unpack(String pattern, Path target) {
        try {
            Files.createDirectories(target);
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:" + pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, target.resolve(resource.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled Python jobs into " + target, e);
        }
    }
}
