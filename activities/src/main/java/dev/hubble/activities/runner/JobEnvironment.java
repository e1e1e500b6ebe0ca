package dev.hubble.activities.runner;

import dev.hubble.core.job.JobSpec;
import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment contract of a job that runs as a program (local Python, a Batch container):
 * the variables Hubble hands it, and the little of the worker's own environment it may see.
 * Engines that start programs build their environment here and nowhere else.
 *
 * <p>A job gets:
 * <ul>
 *   <li>{@value #JOB_ID}: the job's id;
 *   <li>{@value #OUTPUT}: the URI of the folder to write result files into
 *       ({@code file:///.../} locally, {@code s3://...} on AWS);
 *   <li>{@value #API_URL}: the base URL of Hubble's REST API, without a trailing slash;
 *   <li>{@value #JOB_TOKEN}: the job's token ({@link dev.hubble.core.security.JobTokens}), its
 *       credential for the calls only a job may make; it expires after the job's timeout;
 *   <li>{@value #PARAM_PREFIX}{@code <name>}: one per entry of the job's {@code parameters}, the
 *       name exactly as given, the value as-is;
 *   <li>of the worker's environment only {@link #ALWAYS_INHERITED} and what the operator lists
 *       (e.g. {@code hubble.drivers.local-python.inherit-env}), never a {@code HUBBLE_*}
 *       variable: the worker's credentials (Redis, Kafka, AWS, ...) stay in the worker.
 * </ul>
 */
public final class JobEnvironment {

    /** The job's id. */
    public static final String JOB_ID = "HUBBLE_JOB_ID";
    /** Where the job writes its result files. */
    public static final String OUTPUT = "HUBBLE_OUTPUT";
    /** The base URL of Hubble's REST API. */
    public static final String API_URL = "HUBBLE_API_URL";
    /** The job's token. */
    public static final String JOB_TOKEN = "HUBBLE_JOB_TOKEN";
    /** The prefix of the job's parameters. */
    public static final String PARAM_PREFIX = "HUBBLE_PARAM_";
    /** The prefix of every contract variable; none is ever inherited from the worker. */
    public static final String PREFIX = "HUBBLE_";

    /** What every job inherits from the worker's environment, when the worker has it. */
    public static final List<String> ALWAYS_INHERITED = List.of("PATH", "HOME", "LANG", "TZ", "PYTHONPATH");

    private JobEnvironment() {}

    /**
     * Refuses parameters the environment cannot carry: a name that is not an identifier, a value
     * holding a NUL character.
     *
     * @throws JobRejectedException naming the first such parameter
     */
    public static void checkParameters(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            if (!JobSpec.PARAMETER_NAME.matcher(name).matches()) {
                throw new JobRejectedException("parameter name '" + name + "' is not an identifier"
                        + " (a letter or underscore, then letters, digits or underscores)");
            }
            if (value.indexOf('\0') >= 0) {
                throw new JobRejectedException("parameter " + name + " contains a NUL character,"
                        + " which an environment variable cannot hold");
            }
        });
    }

    /** The contract variables of one job. Parameter names must be identifiers ({@link #checkParameters}). */
    public static Map<String, String> contract(
            String jobId, URI output, String apiUrl, String token, Map<String, String> parameters) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(JOB_ID, jobId);
        env.put(OUTPUT, output.toString());
        env.put(API_URL, apiUrl);
        env.put(JOB_TOKEN, token);
        parameters.forEach((name, value) -> env.put(PARAM_PREFIX + name, value));
        return env;
    }

    /**
     * What a job may see of {@code workerEnvironment}: the {@link #ALWAYS_INHERITED} variables and
     * those named in {@code alsoInherited} (a name, or a prefix ending in {@code *} such as
     * {@code LC_*}), except any {@code HUBBLE_*} one.
     */
    public static Map<String, String> inherited(
            Map<String, String> workerEnvironment, Collection<String> alsoInherited) {
        Set<String> names = new HashSet<>(ALWAYS_INHERITED);
        List<String> prefixes = alsoInherited.stream()
                .filter(n -> n.endsWith("*"))
                .map(n -> n.substring(0, n.length() - 1))
                .toList();
        alsoInherited.stream().filter(n -> !n.endsWith("*")).forEach(names::add);
        Map<String, String> env = new LinkedHashMap<>();
        workerEnvironment.forEach((name, value) -> {
            if (!name.startsWith(PREFIX)
                    && (names.contains(name) || prefixes.stream().anyMatch(name::startsWith))) {
                env.put(name, value);
            }
        });
        return env;
    }
}
