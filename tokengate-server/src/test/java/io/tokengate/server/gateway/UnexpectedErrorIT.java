package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} while deciding (a stack overflow, a class a broken installation lacks) is
 * answered and audited as any unexpected failure is, with 500: left to Jetty, the client waited
 * for an answer until the idle timeout, and the request was in no audit record.
 */
class UnexpectedErrorIT {
    @TempDir
    Path home;

    /** A user directory whose every lookup overflows the stack: an Error where the gateway expects none. */
    private static final UserDirectory OVERFLOWING = new UserDirectory() {
        @Override
        public Optional<DirectoryUser> find(String nameOrEmail) {
            throw new StackOverflowError();
        }
    };

    @Test
    void anErrorWhileDecidingIsA500ThatIsAudited() throws Exception {
        try (LoneGateway gateway = LoneGateway.start(home, new Server(), OVERFLOWING)) {
            String auth = gateway.basic("admin", TokenSpec.bound("run-as", "admin", "admin"));

            // Run as another user: the directory is asked who bob is.
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + gateway.port() + "/rest/api/2/myself"))
                                    .header("Authorization", auth)
                                    .header("contextUser", "bob")
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
            assertThat(answer.body())
                    .isEqualTo("{\"status\":500,\"error\":\"Server Error\",\"message\":\"Internal error.\","
                            + "\"requestId\":\"" + requestId + "\"}");
            AuditEvent event = gateway.audited(requestId);
            assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(event.status()).isEqualTo(500);
            assertThat(event.reason()).startsWith("internal error: StackOverflowError");
            assertThat(event.basicUser()).isEqualTo("admin");
        }
    }

    /**
     * The same after a body was read for the token's limits, when it came after the handler had
     * returned: the decision then goes on on the thread that delivered the body's last bytes.
     */
    @Test
    void anErrorAfterALateBodyWasReadIsA500ThatIsAudited() throws Exception {
        // user-credential: the directory is asked for the user's credential just before forwarding.
        try (LoneGateway gateway =
                LoneGateway.start(home, new Server(), OVERFLOWING, Map.of("upstream.identity", "user-credential"))) {
            String auth = gateway.basic(
                    "admin",
                    TokenSpec.bound("comments", "admin", "admin")
                            .withLimits("[POST].*/rest/api/2/issue/AAA-1/comment[JsonData::body==hello]"));
            String body = "{\"body\":\"hello\"}";

            String answer;
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /rest/api/2/issue/AAA-1/comment HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300); // the handler has returned, waiting for the body
                out.write(body.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }

            assertThat(answer).startsWith("HTTP/1.1 500 ");
            Matcher requestId = Pattern.compile("X-Request-Id: (\\S+)").matcher(answer);
            assertThat(requestId.find()).as(answer).isTrue();
            AuditEvent event = gateway.audited(requestId.group(1));
            assertThat(event.status()).isEqualTo(500);
            assertThat(event.reason()).startsWith("internal error: StackOverflowError");
        }
    }
}
