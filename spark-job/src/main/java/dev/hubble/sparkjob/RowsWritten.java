package dev.hubble.sparkjob;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.command.DataWritingCommandExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.Option;
import scala.collection.Iterator;

/**
 * Learns how many rows a write wrote, from the {@code numOutputRows} metric of its
 * {@link DataWritingCommandExec}, instead of counting the result a second time. Spark tells
 * listeners on its listener bus, after the write has returned: {@link #await} waits for it.
 */
final class RowsWritten implements QueryExecutionListener {

    private final CountDownLatch seen = new CountDownLatch(1);
    private volatile Long rows;

    @Override
    public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        Long written = rowsWritten(qe.executedPlan());
        if (written != null) {
            rows = written;
            seen.countDown();
        }
    }

    @Override
    public void onFailure(String funcName, QueryExecution qe, Exception exception) {
        // the write's own exception reaches the job
    }

    /** The rows written, or null when Spark did not say within {@code timeout}. */
    Long await(long timeout, TimeUnit unit) throws InterruptedException {
        seen.await(timeout, unit);
        return rows;
    }

    private static Long rowsWritten(SparkPlan root) {
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object node = todo.pop();
            if (!(node instanceof SparkPlan)) {
                continue;
            }
            SparkPlan plan = (SparkPlan) node;
            if (plan instanceof DataWritingCommandExec) {
                Option<SQLMetric> metric = plan.metrics().get("numOutputRows");
                if (metric.isDefined()) {
                    return metric.get().value();
                }
            }
            for (Iterator<?> it = plan.children().iterator(); it.hasNext(); ) {
                todo.push(it.next());
            }
            // CommandResultExec and AdaptiveSparkPlanExec hold their plans as inner children.
            for (Iterator<?> it = plan.innerChildren().iterator(); it.hasNext(); ) {
                todo.push(it.next());
            }
        }
        return null;
    }
}
