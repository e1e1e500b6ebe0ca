package dev.hubble.activities.localpython;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.validation.annotation.Validated;

/**
 * The local Python engine ({@code hubble.drivers.local-python.*}, beside the settings every
 * driver has).
 *
 * @param jobsDir the directory of the Python jobs: job {@code name} is the file
 *     {@code <jobs-dir>/<name>.py}; required
 * @param python the Python interpreter, a path or a command looked up on the worker's
 *     {@code PATH}
 * @param apiUrl the base URL of Hubble's REST API as the jobs reach it, handed to them as
 *     {@code HUBBLE_API_URL}
 * @param stderrTailLines how many of the last lines of a job's stderr become its diagnostics
 * @param keepFinished how long a finished job's outcome is kept for polls that come late
 * @param helperPath a directory put first on the jobs' {@code PYTHONPATH}, e.g. the one holding
 *     the {@code hubble_job} helper module; none when unset
 * @param killGrace how long a cancelled job's processes have to stop after SIGTERM before they
 *     are killed outright
 * @param inheritEnv variables of the worker's environment that jobs see besides PATH, HOME,
 *     LANG, TZ and PYTHONPATH: names, or prefixes ending in {@code *} ({@code LC_*}); never a
 *     {@code HUBBLE_*} one. Nothing else of the worker's environment (its credentials) reaches
 *     a job.
 */
@Validated
@ConfigurationProperties("hubble.drivers.local-python")
public record LocalPythonProperties(
        Path jobsDir,
        @DefaultValue("python3") @NotBlank String python,
        @DefaultValue("http://localhost:8080") @NotNull URI apiUrl,
        @DefaultValue("20") @Min(1) int stderrTailLines,
        @DefaultValue("1h") Duration keepFinished,
        @Nullable Path helperPath,
        @DefaultValue("10s") Duration killGrace,
        @DefaultValue List<String> inheritEnv) {

    public LocalPythonProperties {
        if (jobsDir == null) {
            throw new IllegalArgumentException(
                    "set hubble.drivers.local-python.jobs-dir to the directory of the Python jobs");
        }
        if (!Files.isDirectory(jobsDir)) {
            throw new IllegalArgumentException(
                    "hubble.drivers.local-python.jobs-dir is not a directory: " + jobsDir.toAbsolutePath());
        }
        if (killGrace == null || killGrace.isNegative()) {
            throw new IllegalArgumentException("hubble.drivers.local-python.kill-grace must not be negative");
        }
    }
}
