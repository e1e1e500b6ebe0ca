package dev.hubble.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlySqlTest {

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
        assertThat(ReadOnlySql.rejection(query)).isEmpty();
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
        assertThat(ReadOnlySql.rejection(query))
                .hasValueSatisfying(reason -> assertThat(reason).contains("read-only"));
    }

    @Test
    void trailingSemicolonsAreDroppedBecauseTrinoRefusesThem() {
        assertThat(ReadOnlySql.statement("select 1 ;; ")).isEqualTo("select 1");
    }

    @Test
    void theCatalogOfADriverRefusesTheSameStatements() {
        JobCatalog catalog = ReadOnlySql.catalog("trino");

        assertThat(catalog.driver()).isEqualTo("trino");
        assertThat(catalog.rejection("drop table t")).isPresent();
        assertThat(catalog.rejection("select 1")).isEmpty();
    }

    @Test
    void anEmptyQueryIsRefused() {
        assertThat(ReadOnlySql.rejection(" ; ")).hasValue("the query holds no SQL statement");
    }
}
