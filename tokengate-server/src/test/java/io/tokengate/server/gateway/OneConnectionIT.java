package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import io.tokengate.store.UserRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client holding a narrowly scoped token can do with one connection: several requests
 * pipelined on it, each authenticated, decided and audited on its own; a body where the method
 * takes none, which must never reach the upstream, where a server that ignores it would read it
 * as a request of its own.
 */
class OneConnectionIT {
    private static final String ISSUE = "/rest/api/2/issue/AAA-1";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String narrow;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("gateway.public.url", "https://gw.example.com", "login.max.failures", "0"),
                GatewayFixture.headerUpstream());
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        narrow = gw.basic("admin", TokenSpec.bound("narrow", "admin", "admin").withLimits("[get|head].*" + ISSUE));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @BeforeEach
    void forget() {
        gw.jira.clearReceived();
    }

    @Test
    void everyPipelinedRequestIsAuthenticatedDecidedAndAuditedOnItsOwn() throws Exception {
        List<RawResponse> answers = responses(
                get(ISSUE, narrow, false)
                        + get("/rest/api/2/issue/BBB-1", null, false)
                        + get("/rest/api/2/issue/BBB-1", narrow, true),
                3);
        assertThat(answers).extracting(RawResponse::status).containsExactly(200, 401, 403);
        assertThat(gw.jira.received()).extracting(ReceivedRequest::rawPath).containsExactly(ISSUE);
        AuditEvent allowed = audited(answers.get(0));
        AuditEvent refused = audited(answers.get(2));
        assertThat(allowed.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(allowed.path()).isEqualTo(ISSUE);
        assertThat(refused.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(refused.path()).isEqualTo("/rest/api/2/issue/BBB-1");
        assertThat(refused.requestId()).isNotEqualTo(allowed.requestId());
        assertThat(gw.audited(answers.get(1).header("X-Request-Id").orElseThrow()))
                .as("the request without credentials, not audited under the token before it")
                .isEmpty();
    }

    /**
     * The body of a GET, here a whole request with credentials of its own, is refused with the
     * GET, and is never read as the next request on the connection.
     */
    @Test
    void aGetBodyIsRefusedAndNeverReadAsARequest() throws Exception {
        String smuggled = get("/rest/api/2/issue/BBB-1", narrow, false);
        String request = "GET " + ISSUE + " HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: " + narrow
                + "\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled;
        String raw = readUntilQuiet(request);
        RawResponse answer = RawResponse.parse(raw);
        assertThat(answer.status()).as(raw).isEqualTo(400);
        assertThat(answer.body()).contains("a GET request carries no body");
        assertThat(raw.split("HTTP/1.1 ", -1)).as("one response only: " + raw).hasSize(2);
        assertThat(gw.jira.received()).isEmpty();
        AuditEvent event = audited(answer);
        assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.reason()).contains("on a GET request");
    }

    /** A HEAD answer has no body, so the refusal is in its status and the audit record. */
    @Test
    void aHeadWithABodyIsRefused() throws Exception {
        String raw = readUntilQuiet("HEAD " + ISSUE + " HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: " + narrow
                + "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd");
        assertThat(raw).startsWith("HTTP/1.1 400 ");
        assertThat(gw.jira.received()).isEmpty();
        String requestId = raw.replaceAll("(?s).*X-Request-Id: ([^\r]+)\r.*", "$1");
        AuditEvent event = gw.audited(requestId).orElseThrow();
        assertThat(event.method()).isEqualTo("HEAD");
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.reason()).contains("a body of 4 bytes on a HEAD request");
    }

    @Test
    void aHeadWithoutABodyIsForwardedUnderAGetAndHeadToken() throws Exception {
        String raw = readUntilQuiet("HEAD " + ISSUE + " HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: " + narrow
                + "\r\nConnection: close\r\n\r\n");
        assertThat(gw.jira.received())
                .as(raw)
                .extracting(ReceivedRequest::method)
                .containsExactly("HEAD");
    }

    private static String get(String path, String authorization, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: gw.example.com\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    private static AuditEvent audited(RawResponse response) {
        return gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
    }

    /** Sends the bytes at once and parses {@code count} responses, each with a Content-Length. */
    private static List<RawResponse> responses(String requests, int count) throws IOException {
        String raw = readUntilQuiet(requests);
        List<RawResponse> responses = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < count; i++) {
            RawResponse response = RawResponse.parse(raw.substring(at));
            responses.add(response);
            at = raw.indexOf("\r\n\r\n", at) + 4 + response.body().length();
        }
        assertThat(raw.substring(at)).as("nothing after the responses").isEmpty();
        return responses;
    }

    /** Everything the gateway writes until it closes the connection or is silent for a second. */
    private static String readUntilQuiet(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // the connection stays open: what came so far is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
