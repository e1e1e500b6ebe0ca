package dev.hubble.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hubble.activities.runner.JobRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyStatementsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "select 1",
                "  -- a comment\n WITH t AS (select 1) select * from t",
                "/* hint */ (select 1) union all (select 2)",
                "values (1, 2)",
                "show catalogs",
                "describe tpch.tiny.nation",
                "explain select 1",
                "selec 1"
            })
    void readsAndWhatTrinoWillCallASyntaxErrorGoToTrino(String query) {
        assertThat(ReadOnlyStatements.check(query)).isEqualTo(query.strip());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "insert into memory.default.t values 1",
                "CREATE TABLE memory.default.t AS select 1",
                "/* sneaky */ delete from t",
                "explain analyze insert into t values 1",
                "set session query_max_run_time = '1s'",
                "call system.runtime.kill_query('x')"
            })
    void statementsThatChangeSomethingAreRefused(String query) {
        assertThatThrownBy(() -> ReadOnlyStatements.check(query))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("read-only");
    }

    @Test
    void trailingSemicolonsAreDroppedBecauseTrinoRefusesThem() {
        assertThat(ReadOnlyStatements.check("select 1 ;; ")).isEqualTo("select 1");
    }

    @Test
    void anEmptyQueryIsRefused() {
        assertThatThrownBy(() -> ReadOnlyStatements.check(" ; "))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("no SQL statement");
    }
}
