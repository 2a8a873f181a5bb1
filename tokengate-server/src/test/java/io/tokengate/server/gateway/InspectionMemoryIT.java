package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies read for JSON conditions are held in memory until the upstream has them, and {@code
 * body.inspect.memory} bounds them all together: a client that opens connections and sends large
 * bodies it never finishes gets 503 once the bound is reached, audited, instead of the heap
 * running out for every request. Here the bound is two bodies of {@code body.inspect.max}.
 */
class InspectionMemoryIT {
    private static final int INSPECT_MAX = 1024;
    private static final String FILTER = HeldBody.FILTER;
    private static final String ALLOWED = HeldBody.ALLOWED;
    /** The demo's endpoint that answers after a delay, leaving the body it was sent unread. */
    private static final String SLOW = "/rest/demo/1.0/slow";
    /** How long it takes: longer than {@link #awaitAnswer} asks for. */
    private static final int SLOW_MS = 6000;

    @TempDir
    static Path home;

    static GatewayFixture gw;
    /** Three tokens of the same limits: each may hold one body of the largest size, half the bound. */
    static String filters;

    static String others;
    static String third;
    static String open;
    /** Reads bodies sent to the demo's slow endpoint as well as filters'. */
    static String slow;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "body.inspect.max",
                        Integer.toString(INSPECT_MAX),
                        "body.inspect.memory",
                        Integer.toString(2 * INSPECT_MAX)),
                GatewayFixture.headerUpstream().faultEndpoints(true));
        filters = HeldBody.filterToken(gw, "filters");
        others = HeldBody.filterToken(gw, "others");
        third = HeldBody.filterToken(gw, "third");
        open = gw.basic("admin", TokenSpec.bound("open", "admin", "admin"));
        slow = gw.basic(
                "admin",
                TokenSpec.bound("slow", "admin", "admin")
                        .withLimits(".*" + SLOW + ".*[JsonData::editable==false]\n.*" + FILTER
                                + "[JsonData::editable==false]"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @AfterEach
    void everyBodyIsGivenBack() {
        // Each test ends its held bodies; the next must find the whole bound free.
        assertThat(awaitAnswer(() -> send(FILTER, filters, ALLOWED), 200).status())
                .isEqualTo(200);
    }

    @Test
    void bodiesBeyondTheBoundAreRefusedWith503UntilOneEnds() throws Exception {
        try (HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX)) {
            RawResponse refused = send(FILTER, third, ALLOWED);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.body()).contains("reading too many request bodies at once");
            AuditEvent audited =
                    gw.audited(refused.header("X-Request-Id").orElseThrow()).orElseThrow();
            assertThat(audited.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(audited.status()).isEqualTo(503);
            assertThat(audited.reason()).isEqualTo("request bodies held for inspection at body.inspect.memory");

            RawResponse finished = first.finish();
            assertThat(finished.status())
                    .as("a held body that ends is forwarded")
                    .isEqualTo(200);
            assertThat(awaitAnswer(() -> send(FILTER, third, ALLOWED), 200).status())
                    .as("its room is given back once its exchange ends")
                    .isEqualTo(200);
        }
    }

    @Test
    void aBodyOfUnknownLengthHoldsWhatItsBufferTakes() throws Exception {
        try (HeldBody declared = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody chunked = HeldBody.chunked(gw, others)) {
            // Its buffer is made when its first chunk arrives, which this cannot see: asks until then.
            assertThat(awaitAnswer(() -> send(FILTER, third, ALLOWED), 503).status())
                    .isEqualTo(503);
            assertThat(chunked.finish().status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatGoesAwayGivesItsRoomBack() throws Exception {
        HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
        try (HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX)) {
            assertThat(send(FILTER, third, ALLOWED).status()).isEqualTo(503);
            first.close();
            assertThat(awaitAnswer(() -> send(FILTER, third, ALLOWED), 200).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void requestsWhoseLimitsReadNoBodyGoOnWhileTheBoundIsReached() throws Exception {
        try (HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX)) {
            assertThat(send("/rest/api/2/issue/AAA-1/comment", open, "{\"body\":\"streamed\"}")
                            .status())
                    .isEqualTo(201);
        }
    }

    @Test
    void aRefusedClientThatAsksBeforeSendingNeverSendsItsBody() throws Exception {
        try (HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX);
                HeldBody refused = HeldBody.start(gw, third, "Content-Length: 40\r\n")) {
            String head = refused.head();
            assertThat(head).as("no 100 Continue: the gateway will not read it").startsWith("HTTP/1.1 503");
        }
    }

    @Test
    void aTokenWhoseRequestsHoldHalfTheBoundGets429WhileOtherTokensAreRead() throws Exception {
        try (HeldBody held = HeldBody.declared(gw, filters, INSPECT_MAX)) {
            RawResponse refused = send(FILTER, filters, ALLOWED);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.body()).contains("This token's requests are sending too many request bodies at once");
            assertThat(gw.audited(refused.header("X-Request-Id").orElseThrow())
                            .orElseThrow()
                            .reason())
                    .isEqualTo("token's request bodies held for inspection at its share of body.inspect.memory");
            assertThat(send(FILTER, others, ALLOWED).status())
                    .as("another token's body is read: the bound is not reached")
                    .isEqualTo(200);
            assertThat(held.finish().status()).isEqualTo(200);
        }
    }

    @Test
    void aBodyIsGivenBackOnceTheUpstreamHasItNotWhenItAnswers() throws Exception {
        // A body of the token's whole share, to an upstream that answers only after a while.
        String body = ALLOWED + " ".repeat(INSPECT_MAX - ALLOWED.length());
        gw.jira.clearReceived();
        try (Socket waiting = new Socket("127.0.0.1", gw.server.dataUri().getPort())) {
            waiting.setSoTimeout(10_000);
            waiting.getOutputStream()
                    .write(("POST " + SLOW + "?ms=" + SLOW_MS + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + slow
                                    + "\r\nContent-Type: application/json\r\nContent-Length: " + INSPECT_MAX
                                    + "\r\nConnection: close\r\n\r\n" + body)
                            .getBytes(StandardCharsets.ISO_8859_1));
            waiting.getOutputStream().flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (gw.jira.received().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // the demo records a whole body
            }
            assertThat(gw.jira.received()).as("the upstream has the body").hasSize(1);

            // Held until the exchange ended, the body would keep the token at its share (429).
            RawResponse next = awaitAnswer(() -> send(FILTER, slow, ALLOWED), 200);
            assertThat(next.status())
                    .as("the same token's next body is read while the upstream has yet to answer")
                    .isEqualTo(200);
            assertThat(waiting.getInputStream().available())
                    .as("the slow request is still unanswered")
                    .isZero();
            assertThat(metric("tokengate_inspect_held_bytes")).isZero();
            assertThat(RawResponse.parse(
                                    new String(waiting.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void theMetricsShowWhatIsHeldAndTheBound() throws Exception {
        try (HeldBody held = HeldBody.declared(gw, filters, INSPECT_MAX)) {
            assertThat(metric("tokengate_inspect_held_bytes")).isEqualTo(INSPECT_MAX);
            assertThat(metric("tokengate_inspect_max_bytes")).isEqualTo(2 * INSPECT_MAX);
            assertThat(held.finish().status()).isEqualTo(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric("tokengate_inspect_held_bytes") != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // given back just after the answer
        }
        assertThat(metric("tokengate_inspect_held_bytes")).isZero();
    }

    private static double metric(String name) throws IOException, InterruptedException {
        String text = gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/metrics"))
                        .build())
                .body();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as(name + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private interface Attempt {
        RawResponse send() throws IOException;
    }

    /** Sends until the answer is {@code status}, for up to 5 s: room is given back just after an answer. */
    private static RawResponse awaitAnswer(Attempt attempt, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            RawResponse response;
            try {
                response = attempt.send();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (response.status() == status || System.nanoTime() > deadline) {
                return response;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // retry interval
        }
    }

    private static RawResponse send(String path, String auth, String body) throws IOException {
        return RawResponse.parse(gw.raw("POST " + path + " HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body));
    }
}
