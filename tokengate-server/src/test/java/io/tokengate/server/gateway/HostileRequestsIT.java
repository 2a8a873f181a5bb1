package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import io.tokengate.store.UserRole;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends every request of the hostile corpus ({@code hostile-requests.txt}) on a raw socket and
 * checks that the gateway answers it itself, with the status the corpus expects, the JSON error
 * body, an audit record when its own handler decided, and that the upstream never saw it. Control
 * cases show that the same requests without their trick are forwarded.
 */
class HostileRequestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = "hostile-requests.txt";
    private static final String PUBLIC_URL = "https://gw.example.com";
    private static final String ALLOWED_FILTER = "{\"name\":\"Bugs\",\"favourite\":false,\"editable\":false}";

    /** The tokens cases name with {@code token NAME}: their user and their restrictions. */
    private static final Map<String, TokenSpec> TOKENS = Map.of(
            "open", TokenSpec.bound("open", "admin", "admin"),
            "issues", TokenSpec.bound("issues", "admin", "admin").withLimits(".*/rest/api/2/issue/JRA.*"),
            "readonly", TokenSpec.bound("readonly", "admin", "admin").withLimits("[GET|HEAD].*/rest/api/2/.*"),
            "permissions",
                    TokenSpec.bound("permissions", "admin", "admin")
                            .withLimits(".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]"),
            "worklog",
                    TokenSpec.bound("worklog", "admin", "admin")
                            .withLimits(".*rest/extender/1.0/worklog/user/.*"
                                    + "[QueryParam::dateFrom==2018-01-01][QueryParam::dateTo==2018-12-01]"),
            "filters",
                    TokenSpec.bound("filters", "admin", "admin")
                            .withLimits(".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]"),
            "public-url",
                    TokenSpec.bound("public-url", "admin", "admin")
                            .withLimits("https://gw\\.example\\.com/rest/api/2/issue/.*"),
            "evil-host",
                    TokenSpec.bound("evil-host", "admin", "admin")
                            .withLimits("https?://evil\\.example(:[0-9]+)?/rest/api/2/issue/.*"),
            "alice", TokenSpec.bound("alice", "alice", "admin"),
            "intranet", TokenSpec.bound("intranet", "admin", "admin").withAllowedIps("10.0.0.0/8"));

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static final Map<String, String> AUTH = new HashMap<>();

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "gateway.public.url", PUBLIC_URL,
                        "body.inspect.max", "1024",
                        // dozens of 401s from one address must not turn into 429s here
                        "login.max.failures", "0"),
                GatewayFixture.headerUpstream());
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        gw.addUser("alice", "alice@example.com", UserRole.USER);
        TOKENS.forEach((name, spec) -> AUTH.put(
                name,
                GatewayFixture.basic(
                        spec.boundUser().orElseThrow(),
                        gw.createToken(spec).secret().reveal())));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static List<HostileCase> corpus() {
        return HostileCase.load(CORPUS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theGatewayAnswersItselfAndTheUpstreamNeverSeesIt(HostileCase hostile) throws Exception {
        gw.jira.clearReceived();
        String request = hostile.render(variables(hostile));
        RawResponse response = RawResponse.parse(gw.raw(request));
        String what = hostile.name() + " (" + hostile.why() + "), answer: " + response;
        assertThat(response.status()).as(what).isEqualTo(hostile.status());
        List<ReceivedRequest> received = gw.jira.received();
        if (hostile.by() == HostileCase.By.UPSTREAM) {
            assertThat(received).as(what).hasSize(1);
            if (hostile.forwarded() != null) {
                assertThat(received.get(0).rawPath()).as(what).isEqualTo(hostile.forwarded());
            }
            return;
        }
        assertThat(received).as("the upstream must never see " + what).isEmpty();

        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).as(what).isEqualTo(hostile.status());
        assertThat(body.path("error").asText()).as(what).isNotBlank();
        String requestId = body.path("requestId").asText();
        assertThat(requestId).as(what).isNotBlank();
        assertThat(response.header("X-Request-Id")).as(what).contains(requestId);
        if (hostile.message() != null) {
            assertThat(body.path("message").asText()).as(what).contains(hostile.message());
        }
        if (hostile.by() != HostileCase.By.PARSER) {
            Optional<AuditEvent> audited = gw.audited(requestId);
            assertThat(audited).as("audit record of " + what).isPresent();
            assertThat(audited.get().decision()).as(what).isEqualTo(AuditDecision.DENY);
            assertThat(audited.get().status()).as(what).isEqualTo(hostile.status());
            assertThat(audited.get().reason()).as(what).isNotBlank();
            assertThat(audited.get().method())
                    .as("the method as decided on and forwarded, " + what)
                    .isEqualTo(request.substring(0, request.indexOf(' ')).toUpperCase(Locale.ROOT));
            if (hostile.by() != HostileCase.By.GATEWAY) {
                assertThat(audited.get().reason()).as(what).startsWith("refused before handling: ");
                assertThat(audited.get().basicUser())
                        .as("who claimed to call, " + what)
                        .isNotBlank();
            }
        } else {
            assertThat(gw.auditEvents())
                    .as("Jetty's parser refused " + what + " before tokengate saw credentials")
                    .noneMatch(e -> requestId.equals(e.requestId()));
        }
    }

    @Test
    void theCorpusCoversEveryKindOfAttackTheDataPlaneMustSurvive() {
        List<HostileCase> cases = corpus();
        assertThat(cases.stream().filter(c -> c.by() != HostileCase.By.UPSTREAM))
                .hasSizeGreaterThanOrEqualTo(60);
        assertThat(cases.stream().map(c -> c.name().substring(0, c.name().indexOf('.'))))
                .contains("path", "query", "json", "override", "host", "identity", "smuggle", "target", "method");
        assertThat(cases).allSatisfy(c -> assertThat(TOKENS).containsKey(c.token()));
    }

    @Test
    void aSpoofedIdentityIsRecordedWithTheClaimInTheAuditLog() throws Exception {
        assertThat(RawResponse.parse(gw.raw("GET /rest/api/2/myself HTTP/1.1\r\nHost: gw.example.com\r\n"
                                + "Authorization: " + AUTH.get("alice") + "\r\nConnection: close\r\n\r\n"))
                        .status())
                .as("alice's token in use, so in memory")
                .isEqualTo(200);
        RawResponse response = RawResponse.parse(gw.raw("GET /rest/api/2/myself HTTP/1.1\r\nHost: gw.example.com\r\n"
                + "Authorization: " + AUTH.get("alice") + "\r\nX-Forwarded-User: admin\r\nConnection: close\r\n\r\n"));
        AuditEvent event =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(event.basicUser()).isEqualTo("alice");
        assertThat(event.tokenName())
                .as("refused before authentication, under the token presented")
                .isEqualTo("alice");
        assertThat(event.reason()).contains("identity header X-Forwarded-User: admin");
    }

    /**
     * A Jira password sent in the query for Jira to sign in with is refused, and the audit record
     * keeps where it was, not what it was: admins, the user and every export read that record. So
     * too when the request is refused for something else before its parameters are looked at.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /rest/api/2/issue/JRA-1?fields=summary&os_username=bob&OS%5FPASSWORD=hunter2&os_password=x",
                "GET /rest/api/2/issue/JRA-1/../../user?fields=summary&os_username=bob&OS%5FPASSWORD=hunter2"
                        + "&os_password=x"
            })
    void aJiraPasswordInTheQueryIsNotKeptInTheAuditLog(String requestLine) throws Exception {
        gw.jira.clearReceived();
        RawResponse response = RawResponse.parse(gw.raw(requestLine + " HTTP/1.1\r\nHost: gw.example.com\r\n"
                + "Authorization: " + AUTH.get("open") + "\r\nConnection: close\r\n\r\n"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(gw.jira.received()).isEmpty();
        AuditEvent event =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(event.query())
                .isEqualTo("fields=summary&os_username=bob&OS%5FPASSWORD=REDACTED&os_password=REDACTED");
    }

    /**
     * On a kept-alive connection, a request whose request line Jetty refuses carries no
     * credentials of its own: it is never audited under the token of the request before it (a
     * proxy in front reuses connections across clients).
     */
    @Test
    void aRefusedRequestIsNeverAuditedUnderTheCredentialsOfTheOneBeforeIt() throws Exception {
        String first;
        String second;
        try (Socket socket = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /rest/api/2/issue/JRA-1 HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: "
                            + AUTH.get("open") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            first = readResponse(in);
            out.write("GET /rest/api/2/issue/JRA-2 HTTP/9.9\r\nHost: gw.example.com\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            second = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        RawResponse kept = RawResponse.parse(first);
        RawResponse refused = RawResponse.parse(second);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(refused.status()).as(second).isEqualTo(505);
        assertThat(gw.audited(kept.header("X-Request-Id").orElseThrow()))
                .as("the first request")
                .isPresent();
        assertThat(gw.audited(refused.header("X-Request-Id").orElseThrow()))
                .as("the refused second request presented nothing")
                .isEmpty();
    }

    /** One response with a Content-Length, read from a connection that stays open. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed before a response");
            }
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length =
                java.util.regex.Pattern.compile("(?i)Content-Length: (\\d+)").matcher(headText);
        assertThat(length.find()).as(headText).isTrue();
        return headText + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1);
    }

    /**
     * A message that quotes what the client sent shows a token secret in it only as its hint: a
     * 403 body ends up in CI logs. (The audit record keeps the hint too.)
     */
    @Test
    void aSecretSentAsContextUserIsNotEchoedInTheAnswer() throws Exception {
        String secret = gw.createToken(TokenSpec.bound("echoed", "admin", "admin"))
                .secret()
                .reveal();
        RawResponse response = RawResponse.parse(gw.raw("GET /rest/api/2/myself HTTP/1.1\r\nHost: gw.example.com\r\n"
                + "Authorization: " + AUTH.get("alice") + "\r\ncontextUser: " + secret
                + "\r\nConnection: close\r\n\r\n"));
        assertThat(response.status()).isEqualTo(403);
        String hint = "tgk_…" + secret.substring(secret.length() - 4);
        String body = new String(response.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertThat(JSON.readTree(body).path("message").asText())
                .contains("contextUser: " + hint)
                .doesNotContain(secret);
        AuditEvent event =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(event.reason()).contains(hint).doesNotContain(secret);
    }

    /**
     * A body that is not inspected streams to the upstream as it arrives, so a framing error after
     * the head can only abort the upstream request, never take back what was sent. The client gets
     * 400 (not 502: the fault is its own), the upstream at most the valid chunks before the error
     * and then a broken connection, and the audit record says why. (With a JSON restriction the
     * body is read first and nothing is forwarded: see the json.* cases of the corpus.)
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "zz\r\nabcd\r\n0\r\n\r\n",
                "10000000000000000000004\r\nabcd\r\n0\r\n\r\n",
                "4\nabcd\n0\n\n",
                "4\r\nabcd\r\n-1\r\nefgh\r\n0\r\n\r\n",
                "4\r\nabcdXXXX\r\n0\r\n\r\n"
            })
    void aMalformedStreamedBodyIsTheClientsErrorAndAbortsTheUpstreamRequest(String chunks) throws Exception {
        gw.jira.clearReceived();
        String body = chunks.replace("\\r", "\r").replace("\\n", "\n");
        RawResponse response =
                RawResponse.parse(gw.raw("POST /rest/api/2/echo/upload HTTP/1.1\r\nHost: gw.example.com\r\n"
                        + "Authorization: " + AUTH.get("open")
                        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + body));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("message").asText()).contains("could not be read");
        assertThat(gw.jira.received()).allSatisfy(seen -> assertThat(seen.bodyLength())
                .as("only the valid chunks before the error")
                .isLessThanOrEqualTo(4));
        AuditEvent event =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.reason()).contains("request body could not be read");
    }

    private static Map<String, String> variables(HostileCase hostile) {
        Map<String, String> variables = new HashMap<>();
        variables.put("AUTH", AUTH.get(hostile.token()));
        variables.put("UTF16BE", encoded(StandardCharsets.UTF_16BE));
        variables.put("UTF16BOM", encoded(StandardCharsets.UTF_16));
        variables.put("UTF32BE", encoded(Charset.forName("UTF-32BE")));
        return variables;
    }

    /** The allowed filter body in {@code charset}, as the ISO-8859-1 text of its bytes. */
    private static String encoded(Charset charset) {
        return new String(ALLOWED_FILTER.getBytes(charset), StandardCharsets.ISO_8859_1);
    }
}
