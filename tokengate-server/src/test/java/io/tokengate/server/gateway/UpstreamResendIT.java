package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import io.tokengate.store.UserRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection the gateway keeps alive to Jira may be closed by Jira just as the gateway sends the
 * next request on it (a keep-alive timeout passing, an error answer after which Jira closes
 * without saying so). The request then got 502 though Jira was fine: now a {@code GET} or {@code
 * HEAD} is sent again, once, on a new connection; a request that may change something is not, for
 * Jira may have acted on it. The upstream here answers the first request on each connection and
 * closes the connection on the second, unanswered, as such a Jira would.
 */
class UpstreamResendIT {
    private static final String ANSWER =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    @TempDir
    Path home;

    private ServerSocket upstream;
    /** The request lines the upstream read, in order: those it answered and those it closed on. */
    private final List<String> received = new CopyOnWriteArrayList<>();

    private GatewayFixture gw;
    private String auth;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::serve, "one answer per connection");
        server.setDaemon(true);
        server.start();
        gw = GatewayFixture.start(
                home,
                Map.of("upstream.url", "http://127.0.0.1:" + upstream.getLocalPort()),
                GatewayFixture.headerUpstream());
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        auth = gw.basic("admin", TokenSpec.bound("any", "admin", "admin"));
    }

    @AfterEach
    void stop() throws IOException {
        gw.close();
        upstream.close();
    }

    @Test
    void aGetWhoseKeptConnectionJiraClosedIsSentAgainOnANewOne() throws Exception {
        assertThat(send("GET /rest/api/2/issue/AAA-1").status()).isEqualTo(200);
        RawResponse second = send("GET /rest/api/2/issue/AAA-2");
        assertThat(second.status())
                .as("sent again after Jira closed the kept connection: " + received)
                .isEqualTo(200);
        assertThat(received)
                .containsExactly(
                        "GET /rest/api/2/issue/AAA-1 HTTP/1.1",
                        "GET /rest/api/2/issue/AAA-2 HTTP/1.1",
                        "GET /rest/api/2/issue/AAA-2 HTTP/1.1");
        assertThat(gw.audited(second.header("X-Request-Id").orElseThrow())
                        .orElseThrow()
                        .status())
                .as("one audit record, of the answer the client got")
                .isEqualTo(200);
        // (A HEAD's answer has a Content-Length and no body, which RawResponse cannot parse.)
        assertThat(gw.raw("HEAD /rest/api/2/issue/AAA-3 HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                        + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
        assertThat(received).endsWith("HEAD /rest/api/2/issue/AAA-3 HTTP/1.1", "HEAD /rest/api/2/issue/AAA-3 HTTP/1.1");
    }

    @Test
    void aRequestThatMayChangeSomethingIsNotSentAgain() throws Exception {
        assertThat(send("GET /rest/api/2/issue/AAA-1").status()).isEqualTo(200);
        RawResponse post = send("POST /rest/api/2/issue/AAA-1/comment");
        assertThat(post.status()).isEqualTo(502);
        assertThat(received)
                .containsExactly(
                        "GET /rest/api/2/issue/AAA-1 HTTP/1.1", "POST /rest/api/2/issue/AAA-1/comment HTTP/1.1");
    }

    @Test
    void aGetIsSentAgainOnlyOnce() throws Exception {
        closeEveryConnection = true;
        assertThat(send("GET /rest/api/2/issue/AAA-1").status()).isEqualTo(502);
        assertThat(received).hasSize(2);
    }

    /** When set, the upstream answers nothing at all: every connection is closed on its first request. */
    private volatile boolean closeEveryConnection;

    private RawResponse send(String requestLine) throws IOException {
        return RawResponse.parse(gw.raw(requestLine + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    private void serve() {
        while (!upstream.isClosed()) {
            try (Socket socket = upstream.accept()) {
                InputStream in = socket.getInputStream();
                String line = requestLine(in);
                received.add(line);
                if (!closeEveryConnection) {
                    String answer = line.startsWith("HEAD ") ? ANSWER.substring(0, ANSWER.length() - 2) : ANSWER;
                    socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    String next = requestLine(in);
                    if (!next.isEmpty()) {
                        received.add(next);
                    }
                }
            } catch (IOException e) {
                // the test is over, or the gateway closed: next
            }
        }
    }

    /** Reads a request head; its first line, or "" if the connection ended first. */
    private static String requestLine(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "";
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    }
}
