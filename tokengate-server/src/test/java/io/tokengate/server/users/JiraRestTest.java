package io.tokengate.server.users;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an admin reads when Jira cannot be asked: why, in words, not a Java exception's name. */
class JiraRestTest {
    private static JiraRest jira(int port) {
        return new JiraRest(
                URI.create("http://127.0.0.1:" + port + "/jira"),
                Optional.empty(),
                Duration.ofMillis(500),
                Duration.ofMillis(300),
                "to look up a user",
                IllegalStateException::new);
    }

    @Test
    void aJiraThatTakesTheConnectionAndNeverAnswersIsNamedSo() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> jira(silent.getLocalPort()).get("/rest/api/2/myself", Map.of()))
                    .hasMessage("cannot reach Jira at http://127.0.0.1:" + silent.getLocalPort()
                            + "/jira to look up a user: no answer within 300 ms");
        }
    }

    @Test
    void aPortNobodyListensOnIsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        int unused = port;
        assertThatThrownBy(() -> jira(unused).get("/rest/api/2/myself", Map.of()))
                .hasMessageEndingWith("to look up a user: connection refused");
    }
}
