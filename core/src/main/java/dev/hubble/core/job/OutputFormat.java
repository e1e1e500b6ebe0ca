package dev.hubble.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The file format a job writes its result in. Spelled in lower case on the wire. */
public enum OutputFormat {
    CSV("csv", "text/csv"),
    PARQUET("parquet", "application/vnd.apache.parquet");

    private final String wireName;
    private final String mediaType;

    OutputFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    /** The name used in JSON and as the file extension: {@code csv} or {@code parquet}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The media type of a result file in this format. */
    public String mediaType() {
        return mediaType;
    }

    /** The format named {@code name}, case-insensitively, if there is one. */
    public static Optional<OutputFormat> parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wanted)).findFirst();
    }

    @JsonCreator
    static OutputFormat fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown format: " + name));
    }
}
