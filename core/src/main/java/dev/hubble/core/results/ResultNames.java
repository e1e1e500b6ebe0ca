package dev.hubble.core.results;

import dev.hubble.core.job.OutputFormat;

/** What every store agrees on about the names of result files. */
public final class ResultNames {

    private ResultNames() {}

    /**
     * Whether {@code name} (relative to a job's location, folders separated by {@code /}) is a
     * result: neither it nor a folder it is in starts with {@code _} or {@code .}.
     */
    public static boolean isResult(String name) {
        if (name.isEmpty() || name.endsWith("/")) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.startsWith("_") || segment.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** The media type of a result file, by its extension. */
    public static String mediaType(String name) {
        int dot = name.lastIndexOf('.');
        return OutputFormat.parse(dot < 0 ? "" : name.substring(dot + 1))
                .map(OutputFormat::mediaType)
                .orElse("application/octet-stream");
    }

    /** The last segment of {@code name}: the file name a download is saved under. */
    public static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
