package dev.hubble.activities.livy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** {@link LocationFiles} for {@code file:} locations: a directory the worker and Spark share. */
public final class LocalLocationFiles implements LocationFiles {

    @Override
    public boolean supports(URI location) {
        return "file".equals(location.getScheme());
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    @Override
    public void write(URI location, String name, byte[] content) {
        Path dir = Path.of(location);
        try {
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, ".", name + ".tmp");
            Files.write(temporary, content);
            Files.move(
                    temporary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " into " + dir, e);
        }
    }

    @Override
    public Optional<byte[]> read(URI location, String name) {
        Path file = Path.of(location).resolve(name);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
