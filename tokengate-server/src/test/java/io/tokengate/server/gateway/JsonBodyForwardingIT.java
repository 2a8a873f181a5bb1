package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A body a JsonData limit inspects, end to end: what the gateway allows reaches the upstream as the
 * very bytes it checked (whatever the Content-Type, however the client framed them), and those
 * bytes, read by Jira's parsers (Jackson 1.9 and Jackson 2 with their defaults), hold the allowed
 * value; what it cannot read as they would is refused and never forwarded.
 */
class JsonBodyForwardingIT {
    private static final String PATH = "/rest/api/2/echo/issue";
    private static final String ALLOWED = "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"summary\":\"Zürich ✓ 😀\"}}";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String auth;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("body.inspect.max", "4096"), GatewayFixture.headerUpstream());
        auth = gw.basic(
                "admin",
                TokenSpec.bound("jra", "admin", "admin")
                        .withLimits("[post].*/rest/api/2/echo/issue[JsonData::fields.project.key==JRA]"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A request: its Content-Type field (null: none), its body, and where to cut it into chunks. */
    record Sent(String name, String contentType, byte[] body, int[] chunkAt) {
        static Sent of(String name, String contentType, String body, int... chunkAt) {
            return new Sent(name, contentType, body.getBytes(StandardCharsets.UTF_8), chunkAt);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Sent> forwarded() {
        int insideU = ALLOWED.indexOf('ü') + 1; // inside the two bytes of 'ü'
        return Stream.of(
                Sent.of("json", "application/json", ALLOWED),
                Sent.of("json-utf8", "application/json; charset=UTF-8", ALLOWED),
                Sent.of("no-content-type", null, ALLOWED),
                Sent.of("text-plain", "text/plain", ALLOWED),
                Sent.of("form", "application/x-www-form-urlencoded", ALLOWED),
                Sent.of("chunked", "application/json", ALLOWED, 1, 10, 30),
                Sent.of("chunked-inside-a-character", "application/json", ALLOWED, insideU, insideU + 1),
                Sent.of("whitespace-kept", "application/json", " \r\n\t" + ALLOWED + "\r\n  \n"),
                Sent.of("escapes-kept", "application/json", "{\"fields\":{\"project\":{\"\\u006bey\":\"\\u004aRA\"}}}"),
                Sent.of(
                        "number-forms-kept",
                        "application/json",
                        "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"a\":1.0e2,\"b\":-0,\"c\":1e308}}"));
    }

    /** What the audit record of each refused request says, in part. */
    private static final Map<String, String> REFUSED_BECAUSE = Map.of(
            "utf16-declared", "charset UTF-16 cannot be inspected",
            "utf16-text-plain", "charset utf-16le cannot be inspected",
            "utf16-bytes", "not JSON",
            "utf16-bytes-no-content-type", "not UTF-8",
            "bom", "not JSON",
            "nul-key", "key with a NUL character",
            "nul-key-no-content-type", "key with a NUL character",
            "infinite-number", "reads as infinity or 0",
            "second-document", "content after the value");

    static Stream<Sent> refused() {
        return Stream.of(
                Sent.of("utf16-declared", "application/json; charset=UTF-16", ALLOWED),
                Sent.of("utf16-text-plain", "text/plain; charset=utf-16le", ALLOWED),
                new Sent("utf16-bytes", "application/json", ALLOWED.getBytes(StandardCharsets.UTF_16LE), new int[0]),
                new Sent("utf16-bytes-no-content-type", null, ALLOWED.getBytes(StandardCharsets.UTF_16), new int[0]),
                Sent.of("bom", "application/json", "\uFEFF" + ALLOWED),
                Sent.of(
                        "nul-key",
                        "application/json",
                        "{\"fields\":{\"project\":{\"key\":\"JRA\",\"\\u0000key\":\"EVIL\"}}}"),
                Sent.of(
                        "nul-key-no-content-type",
                        null,
                        "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"proj\\u0000ect\":{\"key\":\"EVIL\"}}}"),
                Sent.of("infinite-number", "text/plain", "{\"fields\":{\"project\":{\"key\":\"JRA\"},\"x\":1e400}}"),
                Sent.of(
                        "second-document",
                        "application/json",
                        "{\"fields\":{\"project\":{\"key\":\"EVIL\"}}}{\"fields\":{\"project\":{\"key\":\"JRA\"}}}"));
    }

    @ParameterizedTest
    @MethodSource("forwarded")
    void anAllowedBodyReachesJiraAsTheBytesChecked(Sent sent) throws Exception {
        gw.jira.clearReceived();
        RawResponse response = send(sent);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).body()).as("the forwarded bytes").isEqualTo(sent.body);
        assertThat(received.get(0).headerValues("Content-Type"))
                .as("Content-Type fields Jira received")
                .isEqualTo(sent.contentType == null ? List.of() : List.of(sent.contentType));
        assertThat(jackson1Key(received.get(0).body())).isEqualTo("JRA");
        assertThat(jackson2Key(received.get(0).body())).isEqualTo("JRA");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aBodyJiraCouldReadOtherwiseIsRefusedAndNotForwarded(Sent sent) throws Exception {
        gw.jira.clearReceived();
        RawResponse response = send(sent);
        assertThat(response.status()).as(response.body()).isIn(403, 415);
        assertThat(gw.jira.received()).isEmpty();
        AuditEvent audited =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(audited.status()).isEqualTo(response.status());
        assertThat(audited.reason()).as("the audited reason").contains(REFUSED_BECAUSE.get(sent.name));
    }

    private static RawResponse send(Sent sent) throws Exception {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST " + PATH + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n"
                        + (sent.contentType == null ? "" : "Content-Type: " + sent.contentType + "\r\n")
                        + (sent.chunkAt.length == 0
                                ? "Content-Length: " + sent.body.length
                                : "Transfer-Encoding: chunked")
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        if (sent.chunkAt.length == 0) {
            request.writeBytes(sent.body);
        } else {
            int from = 0;
            for (int i = 0; i <= sent.chunkAt.length; i++) {
                int to = i < sent.chunkAt.length ? sent.chunkAt[i] : sent.body.length;
                request.writeBytes((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                request.write(sent.body, from, to - from);
                request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                from = to;
            }
            request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return RawResponse.parse(gw.raw(request.toString(StandardCharsets.ISO_8859_1)));
    }

    @SuppressWarnings("unchecked")
    private static Object jackson1Key(byte[] body) throws Exception {
        Map<String, Object> root =
                new org.codehaus.jackson.map.ObjectMapper().readValue(new ByteArrayInputStream(body), Map.class);
        return ((Map<String, Object>) ((Map<String, Object>) root.get("fields")).get("project")).get("key");
    }

    private static String jackson2Key(byte[] body) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(new ByteArrayInputStream(body))
                .at("/fields/project/key")
                .textValue();
    }
}
