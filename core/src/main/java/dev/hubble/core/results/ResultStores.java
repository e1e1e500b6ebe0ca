package dev.hubble.core.results;

import dev.hubble.core.job.JobResult;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.job.ResultFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.lang.Nullable;

/**
 * The one place that decides which store serves what: a new job's store by its driver
 * ({@code hubble.drivers.<driver>.results}, else {@code hubble.results.store}), and an existing
 * location's store by its URI scheme, so a job's links keep working whatever the configuration
 * says today. Thread-safe.
 */
public final class ResultStores {

    /** The name of the local store, also the default. */
    public static final String LOCAL = "local";
    /** The name of the S3 store. */
    public static final String S3 = "s3";

    private final Map<String, ResultStore> byName;
    private final Map<String, ResultStore> byScheme;
    private final String defaultStore;
    private final Map<String, String> driverStores;

    /**
     * @param stores the stores configured in this process
     * @param defaultStore the store of a driver that names none
     * @param driverStores the store each driver names, by driver
     * @throws IllegalArgumentException if a driver, or the default, names a store that is not
     *     configured
     */
    public ResultStores(
            Collection<? extends ResultStore> stores, String defaultStore, Map<String, String> driverStores) {
        this.byName = stores.stream().collect(Collectors.toUnmodifiableMap(ResultStore::name, Function.identity()));
        this.byScheme = stores.stream().collect(Collectors.toUnmodifiableMap(ResultStore::scheme, Function.identity()));
        this.defaultStore = normalize(defaultStore);
        this.driverStores = driverStores.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> normalize(e.getValue())));
        require(this.defaultStore, "hubble.results.store");
        this.driverStores.forEach((driver, store) -> require(store, "hubble.drivers." + driver + ".results"));
    }

    /** The store a new job of {@code driver} writes to. */
    public ResultStore forDriver(String driver) {
        return byName.get(driverStores.getOrDefault(driver, defaultStore));
    }

    /** The location of a new job of {@code driver}. */
    public URI locationFor(String driver, String jobId) {
        return forDriver(driver).locationFor(jobId);
    }

    /**
     * The job's result location: the one in its spec, or, for a job accepted before locations
     * were recorded, its directory in the local store, where every such job wrote.
     *
     * @throws IllegalStateException if the job has no location and there is no local store
     */
    public URI locationOf(String jobId, JobSpec spec) {
        if (spec.resultLocation() != null) {
            return spec.resultLocation();
        }
        ResultStore local = byName.get(LOCAL);
        if (local == null) {
            throw new IllegalStateException(
                    "job " + jobId + " has no recorded result location and no local result store"
                            + " is configured (hubble.results.local.dir)");
        }
        return local.locationFor(jobId);
    }

    /**
     * The store that serves {@code location}.
     *
     * @throws IllegalStateException if no store of this process serves its scheme
     */
    public ResultStore storeOf(URI location) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        ResultStore store = byScheme.get(scheme);
        if (store == null) {
            throw new IllegalStateException(
                    "no result store for " + scheme + ": locations is configured here; stores: " + byName.keySet());
        }
        return store;
    }

    /**
     * The manifest of what a job wrote under {@code location}: the first
     * {@value JobResult#MAX_LISTED_FILES} files by name, and the count and size of all of them.
     */
    public JobResult manifest(OutputFormat format, URI location) {
        ResultStore store = storeOf(location);
        List<ResultFile> listed = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        String after = null;
        do {
            ResultPage page = store.list(location, after, JobResult.MAX_LISTED_FILES);
            for (ResultFile file : page.files()) {
                if (listed.size() < JobResult.MAX_LISTED_FILES) {
                    listed.add(file);
                }
                count++;
                bytes += file.sizeBytes();
            }
            after = page.next();
        } while (after != null);
        return new JobResult(format, location, listed, count, bytes);
    }

    /**
     * The manifest of {@code location} once the files of the local directory {@code dir} have been
     * copied there ({@link ResultStore#upload}), when nothing else was written there: read from
     * the directory, so the store is not listed.
     */
    public static JobResult manifestOf(OutputFormat format, URI location, Path dir) {
        List<String> names;
        try (Stream<Path> walk = Files.walk(dir)) {
            names = walk.filter(Files::isRegularFile)
                    .map(file -> dir.relativize(file).toString().replace('\\', '/'))
                    .filter(ResultNames::isResult)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        List<ResultFile> listed = new ArrayList<>();
        long bytes = 0;
        for (String name : names) {
            long size = size(dir.resolve(name));
            if (listed.size() < JobResult.MAX_LISTED_FILES) {
                listed.add(new ResultFile(name, size));
            }
            bytes += size;
        }
        return new JobResult(format, location, listed, names.size(), bytes);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A page of the files under {@code location}; see {@link ResultStore#list}. */
    public ResultPage page(URI location, @Nullable String after, int limit) {
        return storeOf(location).list(location, after, limit);
    }

    /** A fresh link to {@code file} under {@code location}; see {@link ResultStore#sign}. */
    public SignedLink sign(URI location, String jobId, ResultFile file, URI apiBaseUrl) {
        return storeOf(location).sign(location, jobId, file, apiBaseUrl);
    }

    /** Whether a store named {@code name} is configured here. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    private void require(String store, String property) {
        if (!byName.containsKey(store)) {
            throw new IllegalArgumentException(property + " names result store '" + store + "', but the stores are "
                    + byName.keySet() + " (s3 or local)");
        }
    }

    private static String normalize(String store) {
        return Objects.requireNonNull(store, "store").trim().toLowerCase(Locale.ROOT);
    }
}
