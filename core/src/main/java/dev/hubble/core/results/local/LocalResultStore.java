package dev.hubble.core.results.local;

import dev.hubble.core.job.ResultFile;
import dev.hubble.core.results.ResultNames;
import dev.hubble.core.results.ResultPage;
import dev.hubble.core.results.ResultStore;
import dev.hubble.core.results.ResultStores;
import dev.hubble.core.results.SignedLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.lang.Nullable;

/**
 * Result files in a local directory, {@code <dir>/<jobId>/<file>}, behind {@code file:}
 * locations, downloaded through the API's HMAC-signed links ({@link LocalResultLinks}). The
 * workers write the directory and the API reads it, so both must see the same one. Only the
 * files directly in a job's directory are results (the API serves no sub-folders).
 */
public final class LocalResultStore implements ResultStore {

    private final Path root;
    private final LocalResultLinks links;

    public LocalResultStore(Path root, LocalResultLinks links) {
        this.root = root.toAbsolutePath().normalize();
        this.links = links;
    }

    @Override
    public String name() {
        return ResultStores.LOCAL;
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public URI locationFor(String jobId) {
        return URI.create(root.toUri().toString().replaceAll("/+$", "") + "/"
                + jobDir(jobId).getFileName() + "/");
    }

    @Override
    public Optional<Path> directory(URI location) {
        return Optional.of(dirOf(location));
    }

    @Override
    public void prepare(URI location) {
        Path dir = dirOf(location);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create result directory " + dir, e);
        }
    }

    @Override
    public ResultPage list(URI location, @Nullable String after, int limit) {
        Path dir = dirOf(location);
        if (!Files.isDirectory(dir)) {
            return new ResultPage(List.of(), null);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<ResultFile> page = files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(ResultNames::isResult)
                    .filter(name -> after == null || name.compareTo(after) > 0)
                    .sorted()
                    .limit(limit + 1L)
                    .map(name -> new ResultFile(name, size(dir.resolve(name))))
                    .toList();
            if (page.size() <= limit) {
                return new ResultPage(page, null);
            }
            List<ResultFile> first = page.subList(0, limit);
            return new ResultPage(first, first.get(limit - 1).name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list result directory " + dir, e);
        }
    }

    @Override
    public SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl) {
        return links.sign(jobId, file, apiBaseUrl);
    }

    @Override
    public void upload(Path dir, URI location, boolean resume) {
        Path target = dirOf(location);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder())
                    .toList()) {
                Path copy = target.resolve(dir.relativize(file).toString()).normalize();
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + dir + " to " + target, e);
        }
    }

    /** The job directory of a {@code file:} location; never outside the root. */
    private Path dirOf(URI location) {
        if (!"file".equals(location.getScheme())) {
            throw new IllegalArgumentException("not a local result location: " + location);
        }
        Path dir = Path.of(location).toAbsolutePath().normalize();
        if (dir.getParent() == null || !dir.getParent().equals(root)) {
            throw new IllegalArgumentException(
                    "not a job directory of the local result store " + root + ": " + location);
        }
        return dir;
    }

    private Path jobDir(String jobId) {
        Path dir = root.resolve(jobId).normalize();
        if (dir.getParent() == null || !dir.getParent().equals(root) || jobId.contains("/")) {
            throw new IllegalArgumentException("not a job id: " + jobId);
        }
        return dir;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
