package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a client sees when the upstream fails: a prompt JSON 502 or 504 while nothing has been
 * sent yet, a closed connection once the response has begun (never a client left hanging), the
 * upstream's own errors unchanged, and an audit record for every one of these requests.
 */
class UpstreamFailuresIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The gateway's upstream idle timeout in these tests. */
    private static final Duration IDLE = Duration.ofMillis(600);
    /** "Promptly": far below the 60 s default idle timeout, with room for a loaded CI machine. */
    private static final Duration PROMPT = Duration.ofSeconds(8);

    @TempDir
    static Path home;

    @TempDir
    static Path downHome;

    static GatewayFixture gw;
    static String auth;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("upstream.idle.timeout.ms", Long.toString(IDLE.toMillis())),
                GatewayFixture.headerUpstream().faultEndpoints(true));
        auth = gw.basic("admin", TokenSpec.bound("faults", "admin", "admin"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anUpstreamThatIsDownIsA502AtOnce() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GatewayFixture down = GatewayFixture.start(
                downHome, Map.of("upstream.url", "http://127.0.0.1:" + closedPort), GatewayFixture.headerUpstream())) {
            String token = down.basic("admin", TokenSpec.bound("down", "admin", "admin"));
            ListAppender<ILoggingEvent> log = new ListAppender<>();
            log.start();
            Logger proxyLog = (Logger) LoggerFactory.getLogger(UpstreamProxy.class);
            proxyLog.addAppender(log);
            try {
                long started = System.nanoTime();
                HttpResponse<String> response = down.get("/rest/api/2/issue/AAA-1", token);
                assertThat(elapsed(started)).isLessThan(PROMPT);
                assertError(response, 502, "could not be reached");
                AuditEvent event = audited(down, response);
                assertThat(event.decision()).isEqualTo(AuditDecision.ALLOW);
                assertThat(event.reason()).contains("upstream failure");
                assertThat(event.upstreamMillis()).isNotNull();
                for (int i = 0; i < 5; i++) {
                    assertThat(down.get("/rest/api/2/issue/AAA-1", token).statusCode())
                            .isEqualTo(502);
                }
                assertThat(log.list)
                        .as("one warning for six requests while the upstream is down, naming the first")
                        .extracting(ILoggingEvent::getFormattedMessage)
                        .singleElement(as(InstanceOfAssertFactories.STRING))
                        .startsWith(
                                response.headers().firstValue("X-Request-Id").orElseThrow()
                                        + ": 502, upstream unreachable or bad response: ");
                assertThat(log.list.get(0).getKeyValuePairs())
                        .as("the request id, a field of its own in the JSON log")
                        .singleElement()
                        .satisfies(pair -> {
                            assertThat(pair.key).isEqualTo("requestId");
                            assertThat(pair.value).isEqualTo(event.requestId());
                        });
            } finally {
                proxyLog.detachAppender(log);
            }
        }
    }

    @Test
    void anUpstreamSlowerThanTheIdleTimeoutIsA504Promptly() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = gw.get("/rest/demo/1.0/slow?ms=30000", auth);
        Duration took = elapsed(started);
        assertError(response, 504, "did not answer in time");
        assertThat(took).isGreaterThanOrEqualTo(IDLE).isLessThan(PROMPT);
        assertThat(audited(gw, response).reason()).contains("upstream timeout");
    }

    @Test
    void anUpstreamWithinTheIdleTimeoutIsWaitedFor() throws Exception {
        HttpResponse<String> response = gw.get("/rest/demo/1.0/slow?ms=100", auth);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("delayedMs").asInt()).isEqualTo(100);
    }

    /**
     * A response head longer than the gateway forwards is refused before anything is sent: the
     * client, the audit record and the metrics all say 502 (it was a 500 from Jetty, audited as
     * the upstream's 200).
     */
    @Test
    void anUpstreamResponseHeadTooLongToForwardIsA502() throws Exception {
        HttpResponse<String> fits = gw.get("/rest/demo/1.0/header?bytes=12000", auth);
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fits.headers().firstValue("X-Large"))
                .hasValueSatisfying(v -> assertThat(v).hasSize(12000));
        HttpResponse<String> tooLong = gw.get("/rest/demo/1.0/header?bytes=20000", auth);
        assertError(tooLong, 502, "could not be reached or gave a bad response");
        AuditEvent event = audited(gw, tooLong);
        assertThat(event.status()).isEqualTo(502);
        assertThat(event.reason()).contains("upstream failure");
    }

    @Test
    void aConnectionResetByTheUpstreamIsA502() throws Exception {
        HttpResponse<String> response = gw.get("/rest/demo/1.0/reset", auth);
        assertError(response, 502, "could not be reached or gave a bad response");
        assertThat(audited(gw, response).reason())
                .as("in words, not Jetty's class names")
                .endsWith("; upstream failure: Jira closed the connection before answering");
    }

    /**
     * The upstream promises 1 MiB, sends 1 KiB and stalls. The 200 and the first bytes are already
     * on their way to the client, so the only honest signal left is to close the connection: the
     * client must see the body end short, within the idle timeout, not hang.
     */
    @Test
    void anUpstreamStallingMidBodyClosesTheClientConnectionPromptly() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout((int) PROMPT.toMillis() * 2);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /rest/demo/1.0/stall HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes(); // ends when the gateway closes; SO_TIMEOUT fails the test
            Duration took = elapsed(started);
            String head = new String(all, 0, Math.min(all.length, 512), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: 1048576");
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            assertThat(all.length - bodyStart).isEqualTo(1024);
            assertThat(took).isLessThan(PROMPT);
            String requestId = head.lines()
                    .filter(l -> l.startsWith("X-Request-Id:"))
                    .findFirst()
                    .orElseThrow()
                    .substring("X-Request-Id:".length())
                    .strip();
            AuditEvent event = gw.audited(requestId).orElseThrow();
            assertThat(event.status()).isEqualTo(200);
            assertThat(event.reason()).contains("failed during the response");
            assertThat(event.bytesOut()).isEqualTo(1024);
        }
    }

    /**
     * The client hangs up while the response streams (a script killed, curl's {@code --max-time}
     * passing): the audit record says the client closed the connection, and not that Jira did, which
     * sent an administrator looking at a Jira that was fine.
     */
    @Test
    void aClientHangingUpMidResponseIsAuditedAsTheClientsDoing() throws Exception {
        String requestId;
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout((int) PROMPT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /rest/demo/1.0/trickle?bytes=4000&ms=2 HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
            requestId = head.toString()
                    .lines()
                    .filter(l -> l.startsWith("X-Request-Id:"))
                    .findFirst()
                    .orElseThrow()
                    .substring("X-Request-Id:".length())
                    .strip();
            socket.setSoLinger(true, 0); // gone at once, as a killed process's connection
        }
        AuditEvent event = gw.audited(requestId).orElseThrow();
        assertThat(event.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(event.reason())
                .contains("failed during the response: the client closed the connection")
                .doesNotContain("Jira");
    }

    @Test
    void theUpstreamsOwnErrorsPassThroughUnchanged() throws Exception {
        for (int status : new int[] {500, 404, 503, 409}) {
            HttpResponse<String> direct = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(
                            HttpRequest.newBuilder(gw.jira.baseUri().resolve("/rest/demo/1.0/status/" + status))
                                    .header("X-Forwarded-User", "admin")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> proxied = gw.get("/rest/demo/1.0/status/" + status, auth);
            assertThat(proxied.statusCode()).isEqualTo(status);
            assertThat(proxied.body()).isEqualTo(direct.body());
            // Jetty writes the charset parameter in lower case; charset names ignore case
            assertThat(proxied.headers().firstValue("Content-Type").orElseThrow())
                    .isEqualToIgnoringCase(
                            direct.headers().firstValue("Content-Type").orElseThrow());
            AuditEvent event = audited(gw, proxied);
            assertThat(event.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(event.status()).isEqualTo(status);
        }
        HttpResponse<String> missing = gw.get("/rest/api/2/issue/NOPE-1", auth);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).has("errorMessages")).isTrue(); // Jira's shape, not ours
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).contains(message);
        assertThat(body.path("requestId").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    private static AuditEvent audited(GatewayFixture fixture, HttpResponse<String> response) {
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        return fixture.audited(requestId)
                .orElseThrow(() -> new AssertionError("no audit record for request " + requestId));
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
