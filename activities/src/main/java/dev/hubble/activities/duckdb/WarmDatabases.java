package dev.hubble.activities.duckdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh in-memory DuckDB databases, opened ahead of the jobs that will use them: opening one
 * takes longer than a small query runs. Each job still gets a database of its own, used once:
 * its settings (which directories it may touch, then locked) are the job's alone. A background
 * thread keeps up to {@code size} of them ready, with the settings every job shares; when none
 * is ready, a job opens its own.
 */
final class WarmDatabases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmDatabases.class);

    private final List<String> settings;
    private final BlockingQueue<Connection> ready;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread filler;

    /**
     * @param settings statements every database runs first, e.g. {@code SET threads = 2}
     * @param size databases kept ready; 0 opens each when it is needed
     */
    WarmDatabases(List<String> settings, int size) {
        this.settings = List.copyOf(settings);
        this.ready = new ArrayBlockingQueue<>(Math.max(1, size));
        this.filler = new Thread(size == 0 ? () -> {} : this::fill, "duckdb-warm-databases");
        this.filler.setDaemon(true);
        this.filler.start();
    }

    /** A database of its own for one job, with the shared settings applied; the caller closes it. */
    Connection take() throws SQLException {
        Connection warm = ready.poll();
        return warm != null ? warm : open();
    }

    @Override
    public void close() {
        closed.set(true);
        filler.interrupt();
        Connection connection;
        while ((connection = ready.poll()) != null) {
            closeQuietly(connection);
        }
    }

    private void fill() {
        while (!closed.get()) {
            try {
                Connection connection = open();
                ready.put(connection);
                if (closed.get() && ready.remove(connection)) {
                    closeQuietly(connection);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                log.warn(
                        "Opening a DuckDB database ahead of time failed; jobs open their own meanwhile: {}",
                        e.getMessage());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        try {
            for (String setting : settings) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(setting);
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing a DuckDB database failed", e);
        }
    }
}
