package io.tokengate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refusal sent before the request body was read. The server cannot skip a body that has not
 * arrived yet, so it closes the connection after the refusal, and the refusal must say {@code
 * Connection: close}: a client that was not told reuses the connection for its next request and
 * finds it closed (the JDK's client fails with "header parser received no bytes"). A body that did
 * arrive whole is skipped, and the connection stays open for the next request.
 */
class UnreadBodyIT {
    private static final String BODY = "{\"name\":\"mallory\",\"password\":\"mallory-password\"}";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String readOnly;
    static String inspecting;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home, Map.of("body.inspect.max", String.valueOf(BODY.length() - 1)), DemoJira.Options.defaults());
        gw.server.localUsers().add("alice", "alice@example.com", null, UserRole.USER, "alice-password".toCharArray());
        readOnly =
                gw.basic("admin", TokenSpec.bound("read only", "admin", "admin").withLimits("[get].*"));
        inspecting = gw.basic(
                "admin",
                TokenSpec.bound("filters", "admin", "admin")
                        .withLimits("[get].*\n.*/rest/api/2/filter[JsonData::editable==false]"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A refused POST, and a request on the same connection that is answered when the connection stays. */
    record Refusal(String name, boolean admin, String post, String next, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        String alice = GatewayFixture.basic("alice", "alice-password");
        return Stream.of(
                new Refusal(
                        "gateway, a method the token does not allow",
                        false,
                        "POST /rest/api/2/issue HTTP/1.1\r\nAuthorization: " + readOnly,
                        "GET /rest/api/2/issue/AAA-1 HTTP/1.1\r\nAuthorization: " + readOnly,
                        403),
                new Refusal(
                        "gateway, a wrong secret",
                        false,
                        "POST /rest/api/2/issue HTTP/1.1\r\nAuthorization: "
                                + GatewayFixture.basic("admin", "not-the-secret"),
                        "GET /rest/api/2/issue/AAA-1 HTTP/1.1\r\nAuthorization: " + readOnly,
                        401),
                new Refusal(
                        "gateway, a body too large to inspect",
                        false,
                        "POST /rest/api/2/filter HTTP/1.1\r\nAuthorization: " + inspecting,
                        "GET /rest/api/2/issue/AAA-1 HTTP/1.1\r\nAuthorization: " + inspecting,
                        413),
                new Refusal(
                        "admin plane, a user managing users",
                        true,
                        "POST /api/v1/users HTTP/1.1\r\nAuthorization: " + alice,
                        "GET /api/v1/me HTTP/1.1\r\nAuthorization: " + alice,
                        403),
                new Refusal(
                        "admin plane, no credentials",
                        true,
                        "POST /api/v1/users HTTP/1.1",
                        "GET /health/live HTTP/1.1",
                        401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusalBeforeTheBodyArrivedSaysTheConnectionCloses(Refusal refusal) throws IOException {
        try (Socket socket = connect(refusal)) {
            OutputStream out = socket.getOutputStream();
            out.write(head(refusal.post(), BODY.length()));
            out.write(BODY.substring(0, 10).getBytes(StandardCharsets.UTF_8));
            out.flush();

            Answer answer = Answer.read(socket.getInputStream());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(refusal.status());
            assertThat(answer.header("connection")).as(answer.toString()).isEqualToIgnoringCase("close");
            assertThat(socket.getInputStream().read())
                    .as("the server closes the connection it said it would close")
                    .isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusalOfABodyThatArrivedWholeKeepsTheConnection(Refusal refusal) throws IOException {
        try (Socket socket = connect(refusal)) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(head(refusal.post(), BODY.length()));
            request.writeBytes(BODY.getBytes(StandardCharsets.UTF_8));
            out.write(request.toByteArray());
            out.flush();

            Answer refused = Answer.read(socket.getInputStream());
            assertThat(refused.status()).as(refused.toString()).isEqualTo(refusal.status());
            assertThat(refused.header("connection")).as(refused.toString()).isNull();

            out.write((refusal.next() + "\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Answer next = Answer.read(socket.getInputStream());
            assertThat(next.status()).as(next.toString()).isEqualTo(200);
        }
    }

    private static Socket connect(Refusal refusal) throws IOException {
        int port = (refusal.admin() ? gw.server.adminUri() : gw.server.dataUri()).getPort();
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] head(String requestLineAndHeaders, int contentLength) {
        return (requestLineAndHeaders + "\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One HTTP/1.1 response with a Content-Length body, read off a connection that may stay open. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed before a whole response head: " + head);
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Answer(
                    Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }

        String header(String name) {
            return headers.get(name);
        }
    }
}
