package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream response heads the gateway must not pass on as they are. A {@code 101 Switching
 * Protocols} to a request that asked for no upgrade (the gateway never forwards {@code Upgrade}):
 * the client must not be told its connection switched protocols while the gateway goes on reading
 * it as HTTP. A {@code 204 No Content} with a {@code Content-Length}, which such a response never
 * has (RFC 9110 8.6): the client gets the 204, not a 500 for a body that never comes.
 */
class UpstreamResponseHeadIT {
    @TempDir
    Path home;

    /** The audit record of the last request {@link #throughGateway} sent. */
    private Optional<AuditEvent> audited = Optional.empty();

    @Test
    void anUnaskedSwitchOfProtocolsIsABadGateway() throws Exception {
        String raw = throughGateway(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nraw",
                "GET /rest/api/2/myself");
        RawResponse response = RawResponse.parse(raw);
        assertThat(response.status()).as(raw).isEqualTo(502);
        AuditEvent event = audited.orElseThrow();
        assertThat(event.status()).isEqualTo(502);
        assertThat(event.reason()).contains("switched protocols");
    }

    @Test
    void aNoContentAnswerWithALengthIsPassedOnWithout() throws Exception {
        String raw = throughGateway(
                "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHELLO", "DELETE /rest/api/2/issue/AAA-1");
        assertThat(raw).as(raw).startsWith("HTTP/1.1 204 ").doesNotContainIgnoringCase("Content-Length");
        assertThat(raw).as("nothing after the head").endsWith("\r\n\r\n");
        assertThat(audited.orElseThrow().status()).isEqualTo(204);
    }

    /**
     * Sends {@code requestLine} through a gateway whose upstream answers every request with the
     * bytes {@code upstreamAnswer}, and returns what the client got, to the connection's close.
     */
    private String throughGateway(String upstreamAnswer, String requestLine) throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answer(upstream, upstreamAnswer), "raw upstream");
            server.setDaemon(true);
            server.start();
            try (GatewayFixture gw = GatewayFixture.start(
                    home,
                    Map.of("upstream.url", "http://127.0.0.1:" + upstream.getLocalPort()),
                    GatewayFixture.headerUpstream())) {
                gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
                String auth = gw.basic("admin", TokenSpec.bound("any", "admin", "admin"));
                String raw = gw.raw(requestLine + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                        + "\r\nConnection: close\r\n\r\n");
                Matcher id = Pattern.compile("(?im)^X-Request-Id: *(\\S+)").matcher(raw);
                assertThat(id.find()).as(raw).isTrue();
                audited = gw.audited(id.group(1));
                return raw;
            }
        }
    }

    private static void answer(ServerSocket upstream, String response) {
        while (!upstream.isClosed()) {
            try (Socket socket = upstream.accept()) {
                readHead(socket.getInputStream());
                socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                readHead(socket.getInputStream()); // until the gateway closes
            } catch (IOException e) {
                // the test is over, or the gateway closed: next
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }
}
