package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Expect: 100-continue}, as curl sends it for larger uploads: the client sends only the
 * head and waits. The gateway must say "continue" only when it is going to read the body, and
 * answer a refusal (401, 403, 413) at once, so that a refused client never uploads anything.
 */
class ExpectContinueIT {
    private static final int INSPECT_MAX = 1024;
    private static final String BODY = "{\"name\":\"Bugs\",\"favourite\":false,\"editable\":false}";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String filters;
    static String open;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home, Map.of("body.inspect.max", Integer.toString(INSPECT_MAX)), GatewayFixture.headerUpstream());
        filters = gw.basic(
                "admin",
                TokenSpec.bound("filters", "admin", "admin")
                        .withLimits(".*/rest/api/2/filter[JsonData::editable==false]"));
        open = gw.basic("admin", TokenSpec.bound("open", "admin", "admin"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anInspectedBodyIsAskedForThenForwardedWithoutTheExpectation() throws Exception {
        gw.jira.clearReceived();
        Exchange exchange = send("/rest/api/2/filter", filters, BODY.length(), BODY);
        assertThat(exchange.interim()).startsWith("HTTP/1.1 100 Continue");
        assertThat(exchange.response().status()).isEqualTo(200);
        ReceivedRequest seen = single();
        assertThat(seen.bodyText()).isEqualTo(BODY);
        assertThat(seen.header("Expect"))
                .as("the gateway already has the whole body")
                .isEmpty();
        assertThat(seen.header("Content-Length")).contains(Integer.toString(BODY.length()));
    }

    @Test
    void aStreamedBodyIsAskedForAndForwarded() throws Exception {
        gw.jira.clearReceived();
        Exchange exchange = send("/rest/api/2/echo/upload", open, BODY.length(), BODY);
        assertThat(exchange.interim()).startsWith("HTTP/1.1 100 Continue");
        assertThat(exchange.response().status()).isEqualTo(200);
        assertThat(single().bodyText()).isEqualTo(BODY);
    }

    @Test
    void aBodyTooLargeToInspectIsRefusedBeforeTheClientSendsIt() throws Exception {
        assertRefusedWithoutContinue("/rest/api/2/filter", filters, INSPECT_MAX + 1, 413);
    }

    @Test
    void aRequestTheRestrictionsDenyIsRefusedBeforeTheClientSendsItsBody() throws Exception {
        assertRefusedWithoutContinue("/rest/api/2/issue/JRA-1/comment", filters, 20, 403);
    }

    @Test
    void badCredentialsAreRefusedBeforeTheClientSendsItsBody() throws Exception {
        assertRefusedWithoutContinue("/rest/api/2/filter", GatewayFixture.basic("admin", "nope"), 20, 401);
    }

    private static void assertRefusedWithoutContinue(String path, String auth, int length, int status)
            throws IOException {
        gw.jira.clearReceived();
        Exchange exchange = send(path, auth, length, null);
        assertThat(exchange.interim()).as("no 100 Continue").isNull();
        assertThat(exchange.response().status()).isEqualTo(status);
        assertThat(gw.jira.received()).isEmpty();
    }

    private static ReceivedRequest single() {
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    /** What came back: the 100 Continue head if there was one, and the final response. */
    record Exchange(String interim, RawResponse response) {}

    /**
     * Sends the head with {@code Expect: 100-continue}; sends {@code body} only after a 100
     * Continue (a null body: the test expects none).
     */
    private static Exchange send(String path, String auth, int length, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + length
                            + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = head(in);
            if (!first.startsWith("HTTP/1.1 100")) {
                return new Exchange(
                        null, RawResponse.parse(first + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
            }
            assertThat(body)
                    .as("the gateway asked for a body this test does not expect to send")
                    .isNotNull();
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new Exchange(first, RawResponse.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
        }
    }

    /** Reads one response head, up to and including its empty line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
