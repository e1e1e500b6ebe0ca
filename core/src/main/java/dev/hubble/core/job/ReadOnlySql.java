package dev.hubble.core.job;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which statements the SQL drivers that may run a job twice accept: read-only ones only (the
 * {@code trino} driver's rule, shared by the API, which answers 400, and the driver, which refuses
 * the same statements when it runs them). A job may be run more than
 * once (its worker lost mid-query, its query is started again elsewhere), which is harmless for a
 * read and not for an {@code INSERT}, a {@code CREATE TABLE AS} or a {@code DELETE}: every
 * statement of Trino's grammar that changes data, metadata, rights or the session ({@code INSERT},
 * {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code CREATE}, {@code DROP}, {@code ALTER},
 * {@code TRUNCATE}, {@code CALL}, {@code GRANT}, {@code REVOKE}, {@code DENY}, {@code COMMENT},
 * {@code ANALYZE}, {@code REFRESH}, {@code SET}, {@code RESET}, {@code USE}, {@code PREPARE},
 * {@code EXECUTE}, {@code DEALLOCATE}, {@code START}, {@code COMMIT}, {@code ROLLBACK}, and
 * {@code EXPLAIN ANALYZE}, which runs its statement) is refused before anything reaches Trino,
 * rather than run at most once with an unknown outcome after a crash. Everything else goes to
 * Trino, which answers a statement it does not know with its own syntax error.
 *
 * <p>The check reads the statement's first words only, past comments and parentheses; it is no
 * SQL parser, and Trino's own access control remains what protects data.
 */
public final class ReadOnlySql {

    private static final Set<String> WRITES = Set.of(
            "INSERT",
            "UPDATE",
            "DELETE",
            "MERGE",
            "CREATE",
            "DROP",
            "ALTER",
            "TRUNCATE",
            "CALL",
            "GRANT",
            "REVOKE",
            "DENY",
            "COMMENT",
            "ANALYZE",
            "REFRESH",
            "SET",
            "RESET",
            "USE",
            "PREPARE",
            "EXECUTE",
            "DEALLOCATE",
            "START",
            "COMMIT",
            "ROLLBACK");

    private ReadOnlySql() {}

    /**
     * The statement as it is sent to an engine: without surrounding blanks and trailing
     * semicolons (Trino refuses those).
     */
    public static String statement(String query) {
        String statement = query.strip();
        while (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).stripTrailing();
        }
        return statement;
    }

    /** Why {@code query} is refused, when it is empty or not read-only; empty when it may run. */
    public static Optional<String> rejection(String query) {
        String statement = statement(query);
        if (statement.isEmpty()) {
            return Optional.of("the query holds no SQL statement");
        }
        int at = skip(statement, 0);
        String first = word(statement, at);
        if (first.equals("EXPLAIN")) {
            String second = word(statement, skip(statement, at + first.length()));
            if (second.equals("ANALYZE")) {
                return Optional.of(refusal("EXPLAIN ANALYZE"));
            }
        } else if (WRITES.contains(first)) {
            return Optional.of(refusal(first));
        }
        return Optional.empty();
    }

    /** The {@link JobCatalog} of {@code driver}, a driver that runs read-only statements only. */
    public static JobCatalog catalog(String driver) {
        return new JobCatalog() {
            @Override
            public String driver() {
                return driver;
            }

            @Override
            public Optional<String> rejection(String query) {
                return ReadOnlySql.rejection(query);
            }
        };
    }

    private static String refusal(String statement) {
        return "the trino driver runs read-only statements (SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN),"
                + " not " + statement + ": a job may run again after a worker is lost, and a statement that"
                + " changes data must not";
    }

    /** The index of the first character at or after {@code from} that is not blank, a comment or '('. */
    private static int skip(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static String word(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(from, end).toUpperCase(Locale.ROOT);
    }
}
