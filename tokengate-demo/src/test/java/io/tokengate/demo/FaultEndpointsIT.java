package io.tokengate.demo;

import static io.tokengate.demo.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test-only failure endpoints that the gateway's 502 and 504 tests rely on. */
class FaultEndpointsIT {
    private static final String[] AS_BOB = {"X-Forwarded-User", "bob"};

    private DemoJira jira;
    private Http http;

    @BeforeEach
    void start() {
        jira = DemoJira.start(DemoJira.Options.defaults().faultEndpoints(true));
        http = new Http(jira.baseUri());
    }

    @AfterEach
    void stop() {
        jira.close();
    }

    @Test
    void slowAnswersAfterTheDelay() {
        long started = System.nanoTime();
        HttpResponse<String> response = http.get("/rest/demo/1.0/slow?ms=300", AS_BOB);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("delayedMs").asLong()).isEqualTo(300);
        assertThat(http.get("/rest/demo/1.0/slow?ms=-1", AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get("/rest/demo/1.0/slow?ms=600001", AS_BOB).statusCode())
                .isEqualTo(400);
    }

    /** More concurrent waits than the demo has threads: they would queue if each held a thread. */
    @Test
    void slowHoldsNoThreadWhileWaiting() {
        int concurrent = 100;
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            responses.add(http.client()
                    .sendAsync(
                            http.request("/rest/demo/1.0/slow?ms=1000", AS_BOB).build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        responses.forEach(r -> assertThat(r.join().statusCode()).isEqualTo(200));

        // 100 waits of 1 s on at most 32 threads would take at least 3 s if each held one.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2900));
    }

    @Test
    void resetClosesTheConnectionWithoutAResponse() throws IOException {
        try (Socket socket = RawHttp.connect(jira.baseUri())) {
            socket.getOutputStream().write(request("/rest/demo/1.0/reset"));

            assertThatThrownBy(() -> RawHttp.readAll(socket.getInputStream()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("reset");
        }
        assertThat(jira.received()).extracting(ReceivedRequest::rawPath).containsExactly("/rest/demo/1.0/reset");
    }

    @Test
    void stallSendsHeadersAndPartOfTheBodyThenNothing() throws IOException {
        try (Socket socket = RawHttp.connect(jira.baseUri())) {
            socket.getOutputStream().write(request("/rest/demo/1.0/stall"));
            socket.setSoTimeout(500);
            InputStream in = socket.getInputStream();
            byte[] received = new byte[8192];
            int length = 0;
            boolean stalled = false;
            while (!stalled) {
                try {
                    int n = in.read(received, length, received.length - length);
                    assertThat(n).as("the demo closed the stalled response").isPositive();
                    length += n;
                } catch (SocketTimeoutException nothingMore) {
                    stalled = true;
                }
            }
            String response = new String(received, 0, length, StandardCharsets.ISO_8859_1);
            int headerEnd = response.indexOf("\r\n\r\n") + 4;
            assertThat(response)
                    .startsWith("HTTP/1.1 200 ")
                    .contains("Content-Length: " + FaultEndpoints.STALL_PROMISED);
            assertThat(length - headerEnd).isEqualTo(FaultEndpoints.STALL_SENT);
        }
    }

    /**
     * Every byte arrives on its own, spaced by the interval, and the chunked body then ends
     * properly: a response that is never silent for long, only slow as a whole.
     */
    @Test
    void trickleSendsOneByteAtATimeThenEndsTheBody() throws IOException {
        try (Socket socket = RawHttp.connect(jira.baseUri())) {
            long started = System.nanoTime();
            socket.getOutputStream().write(request("/rest/demo/1.0/trickle?bytes=5&ms=100"));
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            while (!received.toString().endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                assertThat(b)
                        .as("the demo closed the trickle early: " + received)
                        .isNotNegative();
                received.append((char) b);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            String response = received.toString();
            assertThat(response)
                    .startsWith("HTTP/1.1 200 ")
                    .containsIgnoringCase("Transfer-Encoding: chunked")
                    .doesNotContainIgnoringCase("Content-Length");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(body)
                    .isEqualTo("1\r\n\u0000\r\n1\r\n\u0001\r\n1\r\n\u0002\r\n1\r\n\u0003\r\n1\r\n\u0004\r\n0\r\n\r\n");
        }
        assertThat(http.get("/rest/demo/1.0/trickle?bytes=0", AS_BOB).statusCode())
                .isEqualTo(400);
        assertThat(http.get("/rest/demo/1.0/trickle?ms=soon", AS_BOB).statusCode())
                .isEqualTo(400);
    }

    @Test
    void closeEndsStalledAndWaitingResponses() throws IOException {
        try (Socket stalled = RawHttp.connect(jira.baseUri());
                Socket waiting = RawHttp.connect(jira.baseUri())) {
            stalled.getOutputStream().write(request("/rest/demo/1.0/stall"));
            assertThat(stalled.getInputStream().read()).isEqualTo('H');
            waiting.getOutputStream().write(request("/rest/demo/1.0/slow?ms=600000"));
            // Close only once the slow request is being served; before that, Jetty may answer
            // it with a 500 while stopping, which is not what this test is about.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jira.received().stream().noneMatch(r -> r.rawPath().endsWith("/slow"))
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            long started = System.nanoTime();
            jira.close();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(new String(RawHttp.readAll(waiting.getInputStream()), StandardCharsets.ISO_8859_1))
                    .as("the waiting response is ended, never completed")
                    .doesNotStartWith("HTTP/1.1 200");
        }
    }

    @Test
    void statusAnswersWithTheAskedStatus() {
        HttpResponse<String> unavailable = http.get("/rest/demo/1.0/status/503", AS_BOB);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(json(unavailable).path("errorMessages").get(0).asText()).contains("503");

        HttpResponse<String> noContent = http.get("/rest/demo/1.0/status/204", AS_BOB);
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();

        assertThat(http.get("/rest/demo/1.0/status/202", AS_BOB).statusCode()).isEqualTo(202);
        assertThat(http.get("/rest/demo/1.0/status/502", AS_BOB).statusCode()).isEqualTo(502);
        assertThat(http.get("/rest/demo/1.0/status/199", AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get("/rest/demo/1.0/status/600", AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get("/rest/demo/1.0/status/teapot", AS_BOB).statusCode())
                .isEqualTo(400);
    }

    @Test
    void faultEndpointsNeedAnIdentityToo() {
        assertThat(http.get("/rest/demo/1.0/status/503").statusCode()).isEqualTo(401);
    }

    private static byte[] request(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-User: bob\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
