package dev.hubble.activities.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TrinoClientTest {

    @Test
    void aStatementsSlugAndTokenStayOutOfMessages() {
        URI next = URI.create("http://trino:8080/v1/statement/executing/20261208_031759_00000_a7mxe/"
                + "y57c9eecd23d1e45fcb7df4e0f1b40a742f35ad1f/3");

        assertThat(TrinoClient.where(next))
                .isEqualTo("/v1/statement/executing/20261208_031759_00000_a7mxe/…")
                .doesNotContain("y57c9eecd");
        assertThat(TrinoClient.where(URI.create("http://trino:8080/v1/query/20261208_031759_00000_a7mxe")))
                .isEqualTo("/v1/query/20261208_031759_00000_a7mxe");
    }
}
