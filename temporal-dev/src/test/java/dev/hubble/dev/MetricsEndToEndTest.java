package dev.hubble.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hubble.core.temporal.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes from the local stack (the API and the workers in one process): Hubble's
 * own metrics named by Prometheus conventions with bounded labels, the Temporal SDK's metrics
 * beside them, and every metric the Grafana dashboard in {@code ops/grafana} queries.
 */
class MetricsEndToEndTest {

    /** Labels a Hubble metric may carry: its driver and state, and the buckets of a histogram. */
    private static final Set<String> ALLOWED_LABELS = Set.of("driver", "state", "le", "quantile");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? .*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Path DASHBOARD = Path.of("..", "ops", "grafana", "dashboards", "hubble.json");

    private static final LocalStack stack = LocalStack.get();
    private static String scrape;

    /**
     * Runs jobs that succeed and fail, and a workflow no worker knows (a workflow task failure,
     * as after a deployment that lost a workflow type), then scrapes once every figure is in.
     */
    @BeforeAll
    static void runJobsAndScrape() {
        String ok = stack.submit(Map.of("query", "select 1", "driver", "duckdb", "source", "e2e-metrics"));
        String bad = stack.submit(Map.of("query", "selec 1", "driver", "duckdb", "source", "e2e-metrics"));
        String python = stack.submit(Map.of("query", "hello", "driver", "local-python", "source", "e2e-metrics"));
        stack.awaitState(ok, "SUCCEEDED");
        stack.awaitState(bad, "FAILED");
        stack.awaitState(python, "SUCCEEDED");
        WorkflowClient client = stack.context.getBean(WorkflowClient.class);
        WorkflowStub unknown = client.newUntypedWorkflowStub(
                "NoSuchWorkflowType",
                WorkflowOptions.newBuilder()
                        .setWorkflowId("e2e-metrics-" + UUID.randomUUID())
                        .setTaskQueue(TaskQueues.forDriver("duckdb"))
                        .build());
        unknown.start();
        try {
            scrape = await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> stack.get("/actuator/prometheus").body(),
                            body -> body.contains("temporal_workflow_task_execution_failed")
                                    && body.contains("temporal_workflow_task_schedule_to_start_latency_seconds_bucket")
                                    && body.contains("hubble_jobs_duration_seconds_bucket"));
        } finally {
            unknown.terminate("test over");
        }
    }

    @Test
    void hubbleMetricsFollowPrometheusConventionsWithBoundedLabels() {
        List<String> samples = samples("hubble_");
        assertThat(samples).isNotEmpty();
        Set<String> names = new TreeSet<>();
        for (String sample : samples) {
            Matcher matcher = SAMPLE.matcher(sample);
            assertThat(matcher.matches()).as(sample).isTrue();
            names.add(matcher.group(1));
            assertThat(matcher.group(1)).as("snake_case name").matches("[a-z][a-z0-9_]*");
            Set<String> labels = new TreeSet<>();
            if (matcher.group(2) != null) {
                Matcher label = LABEL.matcher(matcher.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
            assertThat(labels).as("labels of " + sample).isSubsetOf(ALLOWED_LABELS);
            assertThat(UUID_TEXT.matcher(sample).find())
                    .as("a job id in " + sample)
                    .isFalse();
        }
        for (String line :
                scrape.lines().filter(l -> l.startsWith("# TYPE hubble_")).toList()) {
            String[] parts = line.split(" ");
            if (parts[3].equals("counter")) {
                // The TYPE line names a counter with or without its suffix; its samples carry it.
                assertThat(names)
                        .as("counter " + parts[2])
                        .contains(parts[2].endsWith("_total") ? parts[2] : parts[2] + "_total");
            }
        }
        assertThat(names)
                .contains(
                        "hubble_jobs_submitted_total",
                        "hubble_jobs_finished_total",
                        "hubble_jobs_duration_seconds_bucket",
                        "hubble_jobs_waiting",
                        "hubble_jobs_running",
                        "hubble_commands_dead_lettered_total");
    }

    @Test
    void temporalSdkMetricsAreExposedBesideHubbles() {
        Set<String> names = names();

        assertThat(names)
                .contains(
                        "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
                        "temporal_activity_schedule_to_start_latency_seconds_bucket",
                        "temporal_workflow_task_execution_failed_total",
                        "temporal_sticky_cache_size",
                        "temporal_num_pollers",
                        "temporal_request_total");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        collectExpressions(dashboard, queries);
        Set<String> queried = new TreeSet<>();
        Matcher metric = Pattern.compile("\\b(?:hubble|temporal)_[a-z0-9_]+").matcher(String.join("\n", queries));
        while (metric.find()) {
            queried.add(metric.group());
        }

        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        assertThat(queried).isNotEmpty().isSubsetOf(names());
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ((field.getKey().equals("expr") || field.getKey().equals("definition"))
                        && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collectExpressions(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, into));
        }
    }

    private static List<String> samples(String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String line :
                scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            Matcher matcher = SAMPLE.matcher(line);
            if (matcher.matches()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
