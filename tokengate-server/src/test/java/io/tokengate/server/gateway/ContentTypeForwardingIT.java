package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Content-Type a client sends reaches Jira exactly as sent, in its case, and a request that
 * sent none reaches Jira with none: Jetty's client would otherwise add {@code
 * application/octet-stream}, and the header cache of Jetty's server would hand on its own
 * lower-case copy of a common value such as {@code application/json; charset=UTF-8}. Each case goes
 * every way a body can take through the gateway: streamed, or inspected by a JsonData limit, each
 * with a length, in chunks, and after {@code Expect: 100-continue}.
 */
class ContentTypeForwardingIT {
    private static final String STREAMED = "/rest/api/2/echo/streamed";
    private static final String INSPECTED = "/rest/api/2/echo/issue";
    private static final String BODY = "{\"fields\":{\"project\":{\"key\":\"JRA\"}}}";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String auth;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of(), GatewayFixture.headerUpstream());
        auth = gw.basic(
                "admin",
                TokenSpec.bound("types", "admin", "admin")
                        .withLimits(".*/rest/api/2/echo/streamed\n"
                                + "[post].*/rest/api/2/echo/issue[JsonData::fields.project.key==JRA]"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /**
     * How the body travels: the path it is sent to (streamed or inspected), whether the client
     * expects 100-continue, and whether it sends chunks rather than a Content-Length.
     */
    enum Way {
        STREAMED_BODY(STREAMED, false, false),
        INSPECTED_BODY(INSPECTED, false, false),
        STREAMED_AFTER_CONTINUE(STREAMED, true, false),
        INSPECTED_AFTER_CONTINUE(INSPECTED, true, false),
        STREAMED_CHUNKS(STREAMED, false, true),
        INSPECTED_CHUNKS(INSPECTED, false, true);

        final String path;
        final boolean expectContinue;
        final boolean chunked;

        Way(String path, boolean expectContinue, boolean chunked) {
            this.path = path;
            this.expectContinue = expectContinue;
            this.chunked = chunked;
        }
    }

    /** Content-Type field values as a client writes them; null: no Content-Type field. */
    static final List<String> SENT = java.util.Arrays.asList(
            null,
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=UTF-8", // Jetty's header cache holds "...; charset=utf-8"
            "application/json;charset=UTF-8",
            "text/html; charset=UTF-8",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "Application/JSON; Charset=Utf-8",
            "APPLICATION/JSON",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
            "application/octet-stream",
            "application/vnd.example+json;  version=2");

    static Stream<Arguments> cases() {
        return Stream.of(Way.values())
                .flatMap(way -> SENT.stream().map(type -> Arguments.of(way, type == null ? "(none)" : type)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void aBodysContentTypeReachesJiraAsSentOrNotAtAll(Way way, String type) throws Exception {
        String contentType = type.equals("(none)") ? null : type;
        ReceivedRequest seen = forward(way, "POST", contentType, BODY);
        assertThat(seen.bodyText()).isEqualTo(BODY);
        assertThat(seen.headerValues("Content-Type"))
                .as("Content-Type fields Jira received")
                .isEqualTo(contentType == null ? List.of() : List.of(contentType));
    }

    @Test
    void aRequestWithoutBodyOrTypeReachesJiraWithoutType() throws Exception {
        ReceivedRequest seen = forward(Way.STREAMED_BODY, "GET", null, null);
        assertThat(seen.headerValues("Content-Type")).isEmpty();
    }

    @Test
    void aTypeOnARequestWithoutBodyIsKept() throws Exception {
        ReceivedRequest seen = forward(Way.STREAMED_BODY, "GET", "application/json; charset=UTF-8", null);
        assertThat(seen.headerValues("Content-Type")).containsExactly("application/json; charset=UTF-8");
    }

    /** Sends the request (a null body: none, no Content-Length) and returns what Jira received. */
    private static ReceivedRequest forward(Way way, String method, String contentType, String body) throws Exception {
        gw.jira.clearReceived();
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + way.path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (body == null
                        ? ""
                        : way.chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes.length + "\r\n")
                + (way.expectContinue ? "Expect: 100-continue\r\n" : "")
                + "Connection: close\r\n\r\n";
        String content = new String(bytes, StandardCharsets.ISO_8859_1);
        if (body != null && way.chunked) {
            content = Integer.toHexString(bytes.length) + "\r\n" + content + "\r\n0\r\n\r\n";
        }
        String raw = gw.raw(head + content);
        if (raw.startsWith("HTTP/1.1 100")) {
            raw = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
        RawResponse response = RawResponse.parse(raw);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).hasSize(1);
        return received.get(0);
    }
}
