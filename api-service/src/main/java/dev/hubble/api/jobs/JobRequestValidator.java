package dev.hubble.api.jobs;

import dev.hubble.api.config.ApiProperties;
import dev.hubble.api.problem.FieldProblem;
import dev.hubble.api.problem.InvalidRequestException;
import dev.hubble.core.config.DriversProperties;
import dev.hubble.core.job.JobCatalog;
import dev.hubble.core.job.JobError;
import dev.hubble.core.job.JobSpec;
import dev.hubble.core.job.JobState;
import dev.hubble.core.job.OutputFormat;
import dev.hubble.core.store.JobQuery;
import dev.hubble.core.temporal.ProgressReport;
import dev.hubble.core.temporal.RemotePhase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.lang.Nullable;

/**
 * Turns raw requests into validated values, collecting every invalid field into one
 * {@link InvalidRequestException}. Messages quote at most a short prefix of what was sent.
 */
final class JobRequestValidator {

    /** Longest source, sourceId, sourceKind, sourceVersion, parentJobId and Idempotency-Key. */
    static final int MAX_NAME_LENGTH = 256;

    static final int MAX_ERROR_MESSAGE_BYTES = 8 * 1024;
    static final int MAX_ERROR_DETAIL_BYTES = 64 * 1024;
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int MAX_LIST_LIMIT = 500;

    private static final String FORMATS =
            Arrays.stream(OutputFormat.values()).map(OutputFormat::wireName).collect(Collectors.joining(", "));
    private static final String STATES =
            Arrays.stream(JobState.values()).map(JobState::name).collect(Collectors.joining(", "));

    private final ApiProperties api;
    private final DriversProperties drivers;
    /** The catalogs of the drivers whose query names a job, by driver. */
    private final Map<String, JobCatalog> catalogs;

    JobRequestValidator(ApiProperties api, DriversProperties drivers, Collection<JobCatalog> catalogs) {
        this.api = api;
        this.drivers = drivers;
        this.catalogs = catalogs.stream().collect(Collectors.toUnmodifiableMap(JobCatalog::driver, c -> c));
    }

    /** The job {@code request} asks for, or every reason it is invalid. */
    JobSpec toSpec(SubmitJobRequest request, @Nullable String idempotencyKey) {
        List<FieldProblem> errors = new ArrayList<>();

        String query = request.query();
        if (query == null || query.isBlank()) {
            errors.add(new FieldProblem("query", "must not be blank"));
        } else if (query.getBytes(StandardCharsets.UTF_8).length
                > api.maxQuerySize().toBytes()) {
            errors.add(new FieldProblem(
                    "query", "must be at most " + api.maxQuerySize().toBytes() + " bytes (UTF-8)"));
        }

        String driver = request.driver();
        if (driver == null || driver.isBlank()) {
            errors.add(new FieldProblem("driver", "is required; enabled drivers: " + enabledDrivers()));
        } else if (!drivers.enabled().contains(driver)) {
            errors.add(new FieldProblem(
                    "driver", "unknown driver " + quote(driver) + "; enabled drivers: " + enabledDrivers()));
        }

        JobCatalog catalog = driver == null ? null : catalogs.get(driver);
        if (catalog != null && drivers.enabled().contains(driver) && query != null && !query.isBlank()) {
            catalog.rejection(query).ifPresent(reason -> errors.add(new FieldProblem("query", reason)));
        }

        OutputFormat format = OutputFormat.CSV;
        if (request.format() != null) {
            format = OutputFormat.parse(request.format()).orElse(null);
            if (format == null) {
                errors.add(new FieldProblem("format", "must be one of " + FORMATS));
            }
        }

        String source = request.source();
        if (source == null || source.isBlank()) {
            errors.add(new FieldProblem("source", "must not be blank"));
        }
        checkLength("source", source, errors);
        checkLength("sourceId", request.sourceId(), errors);
        checkLength("sourceKind", request.sourceKind(), errors);
        checkLength("sourceVersion", request.sourceVersion(), errors);
        checkLength("parentJobId", request.parentJobId(), errors);

        int priority = request.priority() == null ? JobSpec.DEFAULT_PRIORITY : request.priority();
        if (priority < JobSpec.MIN_PRIORITY || priority > JobSpec.MAX_PRIORITY) {
            errors.add(new FieldProblem(
                    "priority", "must be between " + JobSpec.MIN_PRIORITY + " and " + JobSpec.MAX_PRIORITY));
        }

        Duration timeout = timeout(request.timeout(), errors);
        Map<String, String> parameters = parameters(request.parameters(), errors);

        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_NAME_LENGTH)) {
            errors.add(new FieldProblem(
                    "Idempotency-Key", "must not be blank and at most " + MAX_NAME_LENGTH + " characters"));
        }

        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new JobSpec(
                query,
                driver,
                format,
                source,
                request.sourceId(),
                request.sourceKind(),
                request.sourceVersion(),
                priority,
                timeout,
                parameters,
                request.parentJobId());
    }

    /** The error {@code report} describes, or every reason it is invalid. */
    JobError toError(ErrorReportRequest report) {
        List<FieldProblem> errors = new ArrayList<>();
        if (report.message() == null || report.message().isBlank()) {
            errors.add(new FieldProblem("message", "must not be blank"));
        } else if (utf8Length(report.message()) > MAX_ERROR_MESSAGE_BYTES) {
            errors.add(new FieldProblem("message", "must be at most " + MAX_ERROR_MESSAGE_BYTES + " bytes (UTF-8)"));
        }
        if (report.detail() != null && utf8Length(report.detail()) > MAX_ERROR_DETAIL_BYTES) {
            errors.add(new FieldProblem("detail", "must be at most " + MAX_ERROR_DETAIL_BYTES + " bytes (UTF-8)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new JobError(report.message(), report.detail());
    }

    /** A job's report of its own progress, checked. */
    ProgressReport toProgress(StatusReportRequest report) {
        List<FieldProblem> errors = new ArrayList<>();
        RemotePhase phase = null;
        if (report.phase() == null || report.phase().isBlank()) {
            errors.add(new FieldProblem("phase", "must be one of RUNNING, SUCCEEDED, FAILED"));
        } else {
            phase = switch (report.phase().strip().toUpperCase(java.util.Locale.ROOT)) {
                case "RUNNING" -> RemotePhase.RUNNING;
                case "SUCCEEDED" -> RemotePhase.SUCCEEDED;
                case "FAILED" -> RemotePhase.FAILED;
                default -> null;
            };
            if (phase == null) {
                errors.add(new FieldProblem("phase", "must be one of RUNNING, SUCCEEDED, FAILED"));
            }
        }
        if (report.message() != null && utf8Length(report.message()) > MAX_ERROR_MESSAGE_BYTES) {
            errors.add(new FieldProblem("message", "must be at most " + MAX_ERROR_MESSAGE_BYTES + " bytes (UTF-8)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new ProgressReport(phase, report.message());
    }

    /** The filter of {@code GET /v1/jobs}, from its query parameters. */
    JobQuery toQuery(@Nullable String source, @Nullable String state, @Nullable String driver, @Nullable String limit) {
        List<FieldProblem> errors = new ArrayList<>();
        JobState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldProblem("state", "must be one of " + STATES));
            }
        }
        int max = DEFAULT_LIST_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                max = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > MAX_LIST_LIMIT) {
                errors.add(new FieldProblem("limit", "must be an integer between 1 and " + MAX_LIST_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new JobQuery(blankToNull(source), wanted, blankToNull(driver), max);
    }

    private Duration timeout(@Nullable String text, List<FieldProblem> errors) {
        if (text == null) {
            return api.defaultTimeout();
        }
        Duration timeout;
        try {
            timeout = Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldProblem("timeout", "must be an ISO-8601 duration such as PT30M"));
            return api.defaultTimeout();
        }
        if (timeout.isNegative() || timeout.isZero()) {
            errors.add(new FieldProblem("timeout", "must be positive"));
        } else if (timeout.compareTo(api.maxTimeout()) > 0) {
            errors.add(new FieldProblem("timeout", "must be at most " + api.maxTimeout()));
        }
        return timeout;
    }

    private static Map<String, String> parameters(@Nullable Map<String, String> given, List<FieldProblem> errors) {
        if (given == null) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        given.forEach((name, value) -> {
            if (!JobSpec.PARAMETER_NAME.matcher(name).matches()) {
                errors.add(new FieldProblem(
                        "parameters", "name " + quote(name) + " must match " + JobSpec.PARAMETER_NAME.pattern()));
            } else if (value == null) {
                errors.add(new FieldProblem("parameters." + name, "must be a string"));
            } else {
                parameters.put(name, value);
            }
        });
        return parameters;
    }

    private static void checkLength(String field, @Nullable String value, List<FieldProblem> errors) {
        if (value != null && value.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldProblem(field, "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
    }

    private String enabledDrivers() {
        return drivers.enabled().isEmpty() ? "(none)" : String.join(", ", drivers.enabled());
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** At most 40 characters of caller input, quoted, with control characters dropped. */
    private static String quote(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "") + "'";
    }

    @Nullable
    private static String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
