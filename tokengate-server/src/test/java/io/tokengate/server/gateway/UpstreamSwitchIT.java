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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream that answers {@code 101 Switching Protocols} to a request that asked for no upgrade
 * (the gateway never forwards {@code Upgrade}): the client must not be told its connection
 * switched protocols while the gateway goes on reading it as HTTP.
 */
class UpstreamSwitchIT {
    @TempDir
    Path home;

    @Test
    void anUnaskedSwitchOfProtocolsIsABadGateway() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerSwitching(upstream), "switching upstream");
            server.setDaemon(true);
            server.start();
            try (GatewayFixture gw = GatewayFixture.start(
                    home,
                    Map.of("upstream.url", "http://127.0.0.1:" + upstream.getLocalPort()),
                    GatewayFixture.headerUpstream())) {
                gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
                String auth = gw.basic("admin", TokenSpec.bound("any", "admin", "admin"));
                RawResponse response = RawResponse.parse(gw.raw("GET /rest/api/2/myself HTTP/1.1\r\nHost: gw\r\n"
                        + "Authorization: " + auth + "\r\nConnection: close\r\n\r\n"));
                assertThat(response.status()).as(response.toString()).isEqualTo(502);
                AuditEvent event = gw.audited(response.header("X-Request-Id").orElseThrow())
                        .orElseThrow();
                assertThat(event.status()).isEqualTo(502);
                assertThat(event.reason()).contains("switched protocols");
            }
        }
    }

    private static void answerSwitching(ServerSocket upstream) {
        while (!upstream.isClosed()) {
            try (Socket socket = upstream.accept()) {
                readHead(socket.getInputStream());
                socket.getOutputStream()
                        .write(
                                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nraw"
                                        .getBytes(StandardCharsets.ISO_8859_1));
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
