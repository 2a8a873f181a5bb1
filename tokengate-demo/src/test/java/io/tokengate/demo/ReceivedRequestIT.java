package io.tokengate.demo;

import static io.tokengate.demo.Http.basic;
import static io.tokengate.demo.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link DemoJira#received()} and the echo endpoint report, compared with what was sent. */
class ReceivedRequestIT {
    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05Z");

    private DemoJira jira;
    private Http http;

    @BeforeEach
    void start() {
        jira = DemoJira.start(DemoJira.Options.defaults()
                .contextPath("/jira")
                .recordedBodyLimit(64)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)));
        http = new Http(jira.baseUri());
    }

    @AfterEach
    void stop() {
        jira.close();
    }

    @Test
    void recordsRawPathQueryHeadersBodyUserAndTime() throws Exception {
        byte[] body = {'{', '"', 'a', '"', ':', 1, (byte) 0xff, (byte) 0xfe, '}'};
        HttpResponse<String> response = http.send(http.request(
                        "/rest/api/2/echo/a%20b/%7Euser/%2Fslash/%C3%A9?q=a+b&x=%2F&x=2&empty=",
                        "X-Forwarded-User",
                        "alice",
                        "X-Custom",
                        "one",
                        "X-Custom",
                        "two",
                        "Content-Type",
                        "application/octet-stream")
                .method("PUT", HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);

        List<ReceivedRequest> received = jira.received();
        assertThat(received).hasSize(1);
        ReceivedRequest request = received.get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.rawPath()).isEqualTo("/jira/rest/api/2/echo/a%20b/%7Euser/%2Fslash/%C3%A9");
        assertThat(request.rawQuery()).isEqualTo("q=a+b&x=%2F&x=2&empty=");
        assertThat(request.headerValues("x-custom")).containsExactly("one", "two");
        assertThat(request.header("X-FORWARDED-USER")).hasValue("alice");
        assertThat(request.header("content-length")).hasValue("9");
        assertThat(request.body()).isEqualTo(body);
        assertThat(request.bodyLength()).isEqualTo(9);
        assertThat(request.bodyTruncated()).isFalse();
        assertThat(request.bodySha256()).isEqualTo(sha256(body));
        assertThat(request.effectiveUser()).isEqualTo("alice");
        assertThat(request.time()).isEqualTo(NOW);

        JsonNode echo = json(response);
        assertThat(echo.path("method").asText()).isEqualTo("PUT");
        assertThat(echo.path("path").asText()).isEqualTo(request.rawPath());
        assertThat(echo.path("query").asText()).isEqualTo(request.rawQuery());
        assertThat(Base64.getDecoder().decode(echo.path("body").asText())).isEqualTo(body);
        assertThat(echo.path("bodySha256").asText()).isEqualTo(sha256(body));
        assertThat(echo.path("user").asText()).isEqualTo("alice");
        List<String> echoedHeaders = new ArrayList<>();
        echo.path("headers")
                .forEach(h -> echoedHeaders.add(
                        h.path("name").asText() + ": " + h.path("value").asText()));
        List<String> recordedHeaders = new ArrayList<>();
        request.headers().forEach(h -> recordedHeaders.add(h.name() + ": " + h.value()));
        assertThat(echoedHeaders).isEqualTo(recordedHeaders).contains("X-Custom: one", "X-Custom: two");
    }

    @Test
    void recordsTargetsExactlyAsOnTheWireEvenWhenAmbiguous() {
        String target = "/jira/rest/api/2/echo/../../secret/./%2e%2E/b%2Fc%5c;v=1//x";
        String response = RawHttp.exchange(
                jira.baseUri(), "GET " + target + "?a=%zz&&b HTTP/1.1\r\nX-Forwarded-User: bob", new byte[0]);

        ReceivedRequest request = jira.received().get(0);
        assertThat(request.rawPath()).isEqualTo(target);
        assertThat(request.rawQuery()).isEqualTo("a=%zz&&b");
        assertThat(request.effectiveUser()).isEqualTo("bob");
        assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
        assertThat(response).contains("\"path\":\"" + target + "\"", "\"query\":\"a=%zz&&b\"");
    }

    @Test
    void recordsEvenWhatJettyRefusesBeforeTheDemoSeesIt() {
        String climbing = RawHttp.exchange(
                jira.baseUri(), "GET /jira/../../rest/api/2/echo/x HTTP/1.1\r\nX-Forwarded-User: bob", new byte[0]);
        String nul = RawHttp.exchange(
                jira.baseUri(), "GET /jira/rest/api/2/echo/x%00y HTTP/1.1\r\nX-Forwarded-User: bob", new byte[0]);

        assertThat(RawHttp.status(climbing)).isEqualTo(400);
        assertThat(climbing).contains("application/json;charset=UTF-8", "\"errorMessages\":[");
        assertThat(RawHttp.status(nul)).isEqualTo(400);
        assertThat(jira.received()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("BAD");
            assertThat(request.effectiveUser()).isNull();
        });
    }

    @Test
    void recordsAnAbortedUploadOnceWithTheBytesThatArrived() throws Exception {
        try (java.net.Socket socket = RawHttp.connect(jira.baseUri())) {
            socket.getOutputStream()
                    .write(("PUT /jira/rest/api/2/echo/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "X-Forwarded-User: bob\r\nContent-Length: 100\r\n\r\n0123456789")
                            .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            RawHttp.readAll(socket.getInputStream());
        }

        List<ReceivedRequest> received = jira.received();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).bodyText()).isEqualTo("0123456789");
        assertThat(received.get(0).bodyLength()).isEqualTo(10);
        assertThat(received.get(0).header("Content-Length")).hasValue("100");
    }

    @Test
    void distinguishesNoQueryFromAnEmptyOne() {
        RawHttp.exchange(jira.baseUri(), "GET /jira/rest/api/2/echo/x HTTP/1.1", new byte[0]);
        RawHttp.exchange(jira.baseUri(), "GET /jira/rest/api/2/echo/x? HTTP/1.1", new byte[0]);

        assertThat(jira.received()).extracting(ReceivedRequest::rawQuery).containsExactly(null, "");
    }

    @Test
    void recordsRequestsThatEndIn401And404() {
        http.get("/rest/api/2/issue/AAA-1", "Authorization", basic("admin", "wrong"));
        http.get("/rest/api/2/issue/NOPE-1", "X-Forwarded-User", "admin");
        http.get("/outside", "X-Forwarded-User", "bob");
        new Http(java.net.URI.create(jira.baseUri().toString().replace("/jira", ""))).get("/rest/api/2/issue/AAA-1");

        List<ReceivedRequest> received = jira.received();
        assertThat(received)
                .extracting(ReceivedRequest::rawPath)
                .containsExactly(
                        "/jira/rest/api/2/issue/AAA-1",
                        "/jira/rest/api/2/issue/NOPE-1",
                        "/jira/outside",
                        "/rest/api/2/issue/AAA-1");
        assertThat(received).extracting(ReceivedRequest::effectiveUser).containsExactly(null, "admin", "bob", null);
        assertThat(received.get(0).header("Authorization")).hasValue(basic("admin", "wrong"));
        assertThat(received.get(0).toString())
                .doesNotContain(basic("admin", "wrong").substring(6));
    }

    @Test
    void keepsOnlyTheLimitOfALongBodyButCountsAndHashesAllOfIt() throws Exception {
        byte[] body = "0123456789".repeat(100).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = http.post(
                "/rest/api/2/echo/upload", new String(body, StandardCharsets.US_ASCII), "X-Forwarded-User", "bob");

        ReceivedRequest request = jira.received().get(0);
        assertThat(request.body()).hasSize(64).isEqualTo(java.util.Arrays.copyOf(body, 64));
        assertThat(request.bodyLength()).isEqualTo(1000);
        assertThat(request.bodyTruncated()).isTrue();
        assertThat(request.bodySha256()).isEqualTo(sha256(body));
        assertThat(json(response).path("bodyLength").asLong()).isEqualTo(1000);
        assertThat(json(response).path("bodyTruncated").asBoolean()).isTrue();
    }

    @Test
    void aTruncatedBodyIsNotTakenForJson() {
        String longComment = "{\"body\":\"" + "x".repeat(100) + "\"}";
        HttpResponse<String> response =
                http.post("/rest/api/2/issue/ISSUE-1/comment", longComment, "X-Forwarded-User", "bob");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void clearReceivedForgetsEverything() {
        http.get("/rest/api/2/myself", "X-Forwarded-User", "bob");
        assertThat(jira.received()).hasSize(1);

        jira.clearReceived();

        assertThat(jira.received()).isEmpty();
        http.get("/rest/api/2/issuetype", "X-Forwarded-User", "bob");
        assertThat(jira.received()).extracting(ReceivedRequest::rawPath).containsExactly("/jira/rest/api/2/issuetype");
    }

    @Test
    void keepsTheLastThousandRequestsOldestFirst() {
        for (int i = 0; i < DemoJira.RECEIVED_CAPACITY + 5; i++) {
            assertThat(http.get("/rest/api/2/echo/" + i, "X-Forwarded-User", "bob")
                            .statusCode())
                    .isEqualTo(200);
        }

        List<ReceivedRequest> received = jira.received();
        assertThat(received).hasSize(DemoJira.RECEIVED_CAPACITY);
        assertThat(received.get(0).rawPath()).isEqualTo("/jira/rest/api/2/echo/5");
        assertThat(received.get(received.size() - 1).rawPath())
                .isEqualTo("/jira/rest/api/2/echo/" + (DemoJira.RECEIVED_CAPACITY + 4));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
