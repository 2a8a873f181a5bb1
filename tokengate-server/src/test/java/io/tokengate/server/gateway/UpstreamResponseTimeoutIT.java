package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upstream.response.timeout.ms} bounds a whole upstream exchange, where the idle timeout
 * bounds only silence: an upstream that answers too late gets the client a 504, and one that
 * trickles its body, never silent for long, has the client's connection cut once the bound
 * passes, so that the client can tell the body is incomplete. The idle timeout stays at its 60 s
 * default here: whatever ends these exchanges within seconds is the response timeout.
 */
class UpstreamResponseTimeoutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The gateway's response timeout in these tests. */
    private static final Duration LIMIT = Duration.ofMillis(1000);
    /** "Promptly": far below the upstream's own pace here, with room for a loaded CI machine. */
    private static final Duration PROMPT = Duration.ofSeconds(8);
    /** The trickle's pace: a byte every 50 ms, far within the idle timeout. */
    private static final int TRICKLE_MS = 50;
    /** Bytes of the long trickle: 10 s of them, beyond both {@link #LIMIT} and {@link #PROMPT}. */
    private static final int TRICKLE_BYTES = 200;

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String auth;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("upstream.response.timeout.ms", Long.toString(LIMIT.toMillis())),
                GatewayFixture.headerUpstream().faultEndpoints(true));
        auth = gw.basic("admin", TokenSpec.bound("timeouts", "admin", "admin"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anUpstreamThatHasNotAnsweredWhenTheLimitPassesIsA504() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = gw.get("/rest/demo/1.0/slow?ms=10000", auth);
        Duration took = elapsed(started);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(504);
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("message").asText()).contains("did not answer in time");
        assertThat(body.path("requestId").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(took).isGreaterThanOrEqualTo(LIMIT).isLessThan(PROMPT);
        AuditEvent event = audited(response);
        assertThat(event.status()).isEqualTo(504);
        assertThat(event.reason()).contains("upstream timeout: no complete response within 1000 ms");
    }

    /**
     * The 200 and the first bytes are on their way when the limit passes: the connection is cut
     * before the chunked body's last chunk, so no client takes the part for the whole, and the
     * audit record keeps the status as sent and says why it ended.
     */
    @Test
    void anUpstreamTricklingPastTheLimitHasTheClientsConnectionCut() throws Exception {
        String target = "/rest/demo/1.0/trickle?bytes=" + TRICKLE_BYTES + "&ms=" + TRICKLE_MS;
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout((int) PROMPT.toMillis() * 2);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long started = System.nanoTime();
            String all = new String(readUntilCut(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            Duration took = elapsed(started);

            assertThat(all).startsWith("HTTP/1.1 200").containsIgnoringCase("Transfer-Encoding: chunked");
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            assertThat(body).as("a cut body, not one that looks complete").doesNotEndWith("0\r\n\r\n");
            assertThat(took)
                    .isGreaterThanOrEqualTo(LIMIT.minusMillis(TRICKLE_MS))
                    .isLessThan(PROMPT);
            AuditEvent event = gw.audited(requestId(all)).orElseThrow();
            assertThat(event.status()).isEqualTo(200);
            assertThat(event.reason())
                    .contains("failed during the response: upstream timeout: no complete response within 1000 ms");
            assertThat(event.bytesOut()).isPositive().isLessThan(TRICKLE_BYTES);
        }
        assertThatThrownBy(() -> gw.get(target, auth))
                .as("an HTTP client reading the body fails, rather than returning it short")
                .isInstanceOf(IOException.class);
    }

    /**
     * A client uploading slower than the limit: the upstream waits for the rest of the body, so the
     * timeout is the client's, a 408 saying so, not a 504 blaming the upstream; with a length or
     * with chunks.
     */
    @Test
    void aBodyStillArrivingWhenTheLimitPassesIsTheClientsTimeoutNotTheUpstreams() throws Exception {
        for (String framing : new String[] {
            "Content-Length: 100\r\n\r\n{\"fields\":", "Transfer-Encoding: chunked\r\n\r\na\r\n{\"fields\":\r\n"
        }) {
            try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
                socket.setSoTimeout((int) PROMPT.toMillis() * 2);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /rest/api/2/issue HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                                + "\r\nContent-Type: application/json\r\n" + framing)
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                long started = System.nanoTime();
                String all = new String(readUntilCut(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                Duration took = elapsed(started);

                assertThat(all).as(framing).startsWith("HTTP/1.1 408");
                assertThat(all)
                        .contains("The request body was still arriving when the upstream exchange timed out"
                                + " (no complete response within 1000 ms; 10 bytes of it received)");
                assertThat(took).isGreaterThanOrEqualTo(LIMIT).isLessThan(PROMPT);
                AuditEvent event = gw.audited(requestId(all)).orElseThrow();
                assertThat(event.status()).isEqualTo(408);
                assertThat(event.reason())
                        .contains("request body still arriving at the upstream timeout: no complete response within"
                                + " 1000 ms, 10 bytes received");
            }
        }
    }

    @Test
    void aTrickleThatEndsWithinTheLimitPassesWhole() throws Exception {
        HttpResponse<String> response = gw.get("/rest/demo/1.0/trickle?bytes=5&ms=" + TRICKLE_MS, auth);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("\u0000\u0001\u0002\u0003\u0004");
        assertThat(audited(response).reason()).doesNotContain("timeout");
    }

    /** The {@code X-Request-Id} of a raw response. */
    private static String requestId(String response) {
        return response.lines()
                .filter(l -> l.regionMatches(true, 0, "X-Request-Id:", 0, 13))
                .findFirst()
                .orElseThrow()
                .substring(13)
                .strip();
    }

    /** Everything the gateway sends until it ends the connection, by a close or a reset. */
    private static byte[] readUntilCut(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway kept the connection open: " + received.size() + " bytes", e);
        } catch (IOException reset) {
            // ended abnormally, as it should be
        }
        return received.toByteArray();
    }

    private static AuditEvent audited(HttpResponse<String> response) {
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        return gw.audited(requestId).orElseThrow(() -> new AssertionError("no audit record for request " + requestId));
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
