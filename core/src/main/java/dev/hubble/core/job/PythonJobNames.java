package dev.hubble.core.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.lang.Nullable;

/**
 * Names of Python jobs, shared by the API (which rejects a bad name at submission) and the
 * Python drivers (which run it). A Python job's {@code query} is its name: a plain identifier of
 * at most {@value #MAX_LENGTH} characters, naming the file {@code <jobs-dir>/<name>.py}. The
 * identifier rule is what keeps a name from leaving the jobs directory: it cannot hold a
 * {@code /}, a {@code .} or anything a shell would interpret.
 *
 * <p>The Python drivers' {@link JobCatalog}s come from here: {@link #inDirectory} for
 * {@code local-python}, {@link #named} for the jobs configured for AWS Batch.
 */
public final class PythonJobNames {

    /** The longest name a Python job may have. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String SUFFIX = ".py";
    // How much of an invalid name a message quotes: a query meant for another driver can be long.
    private static final int QUOTED_LENGTH = 80;

    private PythonJobNames() {}

    /** Whether {@code name} is a valid Python job name; says nothing about whether it exists. */
    public static boolean isValid(@Nullable String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /**
     * The names of the Python jobs in {@code jobsDir}, sorted: its regular {@code *.py} files
     * whose names are valid. None when the directory does not exist.
     *
     * @throws UncheckedIOException if the directory cannot be read
     */
    public static List<String> available(Path jobsDir) {
        if (!Files.isDirectory(jobsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(jobsDir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(SUFFIX))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length()))
                    .filter(PythonJobNames::isValid)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Python jobs in " + jobsDir, e);
        }
    }

    /**
     * The file of job {@code name}, {@code <jobsDir>/<name>.py}, as an absolute path; empty when
     * the name is not valid or no such regular file exists.
     */
    public static Optional<Path> resolve(Path jobsDir, @Nullable String name) {
        if (!isValid(name)) {
            return Optional.empty();
        }
        Path file = jobsDir.toAbsolutePath().normalize().resolve(name + SUFFIX);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Why {@code name} cannot be run, for a job's error or a 400 response: that it is not a valid
     * name, or that no such job exists, followed by the available jobs. Never reveals the jobs
     * directory's path.
     */
    public static String rejection(Path jobsDir, @Nullable String name) {
        return rejection(available(jobsDir), name);
    }

    /**
     * Why {@code name} is not one of {@code names}, for a job's error or a 400 response: that it
     * is not a valid name, or that no such job exists, followed by the available jobs (sorted).
     */
    public static String rejection(Collection<String> names, @Nullable String name) {
        List<String> sorted = names.stream().sorted().toList();
        String available =
                sorted.isEmpty() ? "there are no Python jobs" : "available jobs: " + String.join(", ", sorted);
        if (!isValid(name)) {
            return "'" + quoted(name) + "' is not a Python job name (a letter or underscore, then letters, digits"
                    + " or underscores, at most " + MAX_LENGTH + " characters); " + available;
        }
        return "unknown Python job '" + name + "'; " + available;
    }

    /**
     * The catalog of {@code driver} whose jobs are the {@code <name>.py} files of {@code jobsDir},
     * read again on every question, so a job added to the directory is known at once.
     */
    public static JobCatalog inDirectory(String driver, Path jobsDir) {
        return new Catalog(
                driver,
                query -> resolve(jobsDir, query).isPresent()
                        ? Optional.empty()
                        : Optional.of(rejection(jobsDir, query)));
    }

    /** The catalog of {@code driver} whose jobs are exactly {@code names} (a configured list). */
    public static JobCatalog named(String driver, Collection<String> names) {
        Set<String> known = Set.copyOf(names);
        return new Catalog(
                driver,
                query -> isValid(query) && known.contains(query)
                        ? Optional.empty()
                        : Optional.of(rejection(known, query)));
    }

    /** A catalog whose answers come from {@code check}. */
    private record Catalog(String driver, Function<String, Optional<String>> check) implements JobCatalog {

        @Override
        public Optional<String> rejection(String query) {
            return check.apply(query);
        }
    }

    private static String quoted(@Nullable String name) {
        if (name == null) {
            return "";
        }
        String oneLine = name.replaceAll("\\s+", " ");
        return oneLine.length() <= QUOTED_LENGTH ? oneLine : oneLine.substring(0, QUOTED_LENGTH) + "...";
    }
}
