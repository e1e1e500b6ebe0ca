package dev.hubble.activities.results;

import dev.hubble.core.job.ResultFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Result files in a local directory: {@code <dir>/<jobId>/<file>}. */
public final class LocalResultStore implements ResultStore {

    private final Path root;

    public LocalResultStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public URI output(String jobId) {
        Path dir = jobDir(jobId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create result directory " + dir, e);
        }
        return dir.toUri();
    }

    @Override
    public List<ResultFile> list(String jobId) {
        Path dir = jobDir(jobId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !isHidden(f.getFileName().toString()))
                    .sorted(Comparator.comparing(Path::getFileName))
                    .map(f -> new ResultFile(f.getFileName().toString(), size(f)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list result directory " + dir, e);
        }
    }

    private Path jobDir(String jobId) {
        Path dir = root.resolve(jobId).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        return dir;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
