package io.tokengate.server.faults;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's PostgreSQL really stops ({@code pg_ctl stop}) and starts again, under a running
 * gateway: the node turns requests away with 503 promptly, and serves again soon after the
 * database is back. Or the network to it falls silent: the node says it is not ready, for its audit
 * records too, and loses none of them.
 */
class DatabaseStopIT {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStopIT.class);
    private static final String PATH = "/rest/api/2/issue/AAA-1";
    /** Between two requests of a client that keeps trying; a test's requests would else flood the audit queue. */
    private static final Duration PACE = Duration.ofMillis(10);

    /**
     * Once the database accepts connections again, the node serves within about a second (it tries
     * the database once a second), not a pool's back-off later: HikariCP's connection maker, kept
     * retrying through the outage, sleeps up to 5 s between tries, and the first request waited for
     * it to wake. Four outages, each long enough for the maker to reach its longest sleeps, and each
     * a different length, so that the database returns at a different point of them.
     */
    @Test
    void theGatewayServesAgainSoonAfterTheDatabaseReturns(@TempDir Path home) throws Exception {
        try (StoppablePostgres postgres = StoppablePostgres.start();
                GatewayFixture gw = GatewayFixture.start(
                        home,
                        Map.of("db.url", postgres.url(), "db.user", "postgres"),
                        GatewayFixture.headerUpstream())) {
            String auth = gw.basic("admin", TokenSpec.bound("recovery", "admin", "test"));
            assertThat(gw.get(PATH, auth).statusCode()).isEqualTo(200);
            List<Duration> fromStart = new ArrayList<>();
            List<Duration> fromReady = new ArrayList<>();
            // A quarter of the maker's longest sleep apart: one returns early in such a sleep.
            for (Duration outage : List.of(ofMillis(10_500), ofMillis(11_750), ofMillis(13_000), ofMillis(14_250))) {
                postgres.stop("fast");
                long stopped = System.nanoTime();
                HttpResponse<String> refused = await(gw, auth, status -> status == 503, Duration.ofSeconds(30));
                assertThat(refused.headers().firstValue("Retry-After")).contains("1");
                while (System.nanoTime() - stopped < outage.toNanos()) {
                    assertThat(gw.get(PATH, auth).statusCode()).isEqualTo(503);
                    Thread.sleep(PACE.toMillis());
                }
                long starting = System.nanoTime();
                postgres.startAgain();
                long ready = System.nanoTime();
                await(gw, auth, status -> status == 200, Duration.ofSeconds(30));
                long served = System.nanoTime();
                fromStart.add(Duration.ofNanos(served - starting));
                fromReady.add(Duration.ofNanos(served - ready));
            }
            LOG.info("first 200 after pg_ctl start: {} (after it returned: {})", fromStart, fromReady);
            assertThat(fromReady)
                    .as("time from the database accepting connections to the first 200 (tried once a second)")
                    .allSatisfy(wait -> assertThat(wait).isLessThan(Duration.ofMillis(2500)));
        }
    }

    /**
     * Requests under way as the database stops get their 503 (with {@code Retry-After}) promptly,
     * not after the connection timeout (10 s here): the cluster listener loses its session at once,
     * finds the database refusing the next, and so the node knows it away within milliseconds;
     * requests already waiting for a connection then stop waiting. Four clients keep sending
     * through the stop.
     */
    @Test
    void requestsUnderWayWhenTheDatabaseStopsGet503Promptly(@TempDir Path home) throws Exception {
        Duration connectionTimeout = Duration.ofSeconds(10);
        try (StoppablePostgres postgres = StoppablePostgres.start();
                GatewayFixture gw = GatewayFixture.start(
                        home,
                        Map.of(
                                "db.url",
                                postgres.url(),
                                "db.user",
                                "postgres",
                                "db.connection.timeout.ms",
                                Long.toString(connectionTimeout.toMillis())),
                        GatewayFixture.headerUpstream())) {
            String auth = gw.basic("admin", TokenSpec.bound("stopping", "admin", "test"));
            assertThat(gw.get(PATH, auth).statusCode()).isEqualTo(200);
            AtomicLong sendUntil = new AtomicLong(Long.MAX_VALUE);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Answer>>> sending = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    sending.add(clients.submit(() -> keepSending(gw, auth, sendUntil)));
                }
                Thread.sleep(200); // requests are being served
                postgres.stop("fast");
                sendUntil.set(System.nanoTime() + Duration.ofSeconds(3).toNanos());
                List<Answer> answers = new ArrayList<>();
                for (Future<List<Answer>> client : sending) {
                    answers.addAll(client.get(60, TimeUnit.SECONDS));
                }
                List<Answer> refused =
                        answers.stream().filter(a -> a.status() == 503).toList();
                LOG.info(
                        "{} answers through the stop, {} of them 503; the slowest 503 took {}",
                        answers.size(),
                        refused.size(),
                        refused.stream().map(Answer::took).max(Duration::compareTo));
                assertThat(answers).extracting(Answer::status).containsOnly(200, 503);
                assertThat(refused).isNotEmpty().allSatisfy(answer -> {
                    assertThat(answer.retryAfter()).contains("1");
                    assertThat(answer.took())
                            .as("answered well before the connection timeout")
                            .isLessThan(connectionTimeout.dividedBy(2));
                });
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /**
     * An audit write that hangs on a network fallen silent (a proxy frozen: no reset, no answer,
     * for the driver's 60 s socket timeout) makes the node not ready for that too: {@code
     * auditWrites} is no longer UP once the write has had no answer for 5 s, though it has not
     * failed. Once the network answers again, every record is written: nothing was lost.
     */
    @Test
    void anAuditWriteHangingOnASilentNetworkMakesTheNodeNotReady(@TempDir Path home) throws Exception {
        try (StoppablePostgres postgres = StoppablePostgres.start();
                TcpProxy proxy = new TcpProxy("127.0.0.1", postgres.port());
                GatewayFixture gw = GatewayFixture.start(
                        home,
                        Map.of(
                                "db.url",
                                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                                "db.user",
                                "postgres"),
                        GatewayFixture.headerUpstream())) {
            String auth = gw.basic("admin", TokenSpec.bound("silent", "admin", "test"));
            assertThat(gw.get(PATH, auth).statusCode()).isEqualTo(200);
            assertThat(ready(gw)).startsWith("HTTP/1.1 200");
            // A client keeps sending through the freeze: the audit writer writes every 20 ms, on a
            // connection it used a moment ago, which the pool hands out unchecked, and the write
            // after the freeze (or the one under way) hangs. Cached, the token is served until the
            // listener has missed its pings; refused after that, audited either way.
            AtomicLong sendUntil = new AtomicLong(Long.MAX_VALUE);
            ExecutorService client = Executors.newSingleThreadExecutor();
            List<Answer> answers;
            try {
                Future<List<Answer>> sending = client.submit(() -> keepSending(gw, auth, sendUntil));
                Thread.sleep(300);
                proxy.freeze();
                sendUntil.set(System.nanoTime() + Duration.ofMillis(300).toNanos());
                answers = sending.get(60, TimeUnit.SECONDS);
            } finally {
                client.shutdownNow();
            }
            assertThat(answers).extracting(Answer::status).isSubsetOf(200, 503);

            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            String health = ready(gw);
            while (health.contains("\"auditWrites\":\"UP\"") && System.nanoTime() < deadline) {
                health = ready(gw);
            }
            assertThat(health)
                    .as("well before the driver's 60 s socket timeout ends the write")
                    .startsWith("HTTP/1.1 503")
                    .contains("\"auditWrites\":\"FAILING\"");

            proxy.thaw();
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!health.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
                health = ready(gw);
            }
            assertThat(health).startsWith("HTTP/1.1 200");
            for (Answer answer : answers) {
                assertThat(gw.audited(answer.requestId()))
                        .as("request %s is audited", answer.requestId())
                        .isPresent();
            }
        }
    }

    private static String ready(GatewayFixture gw) throws Exception {
        return gw.rawAdmin("GET /health/ready HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n");
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    /** What a client heard: the status, its {@code Retry-After} and request id, and how long it waited. */
    private record Answer(int status, Optional<String> retryAfter, String requestId, Duration took) {}

    /** Sends requests one after another, at {@link #PACE}, until {@code until} (a nanoTime). */
    private static List<Answer> keepSending(GatewayFixture gw, String auth, AtomicLong until) throws Exception {
        List<Answer> answers = new ArrayList<>();
        while (System.nanoTime() - until.get() < 0) {
            long sent = System.nanoTime();
            HttpResponse<String> response = gw.get(PATH, auth);
            answers.add(new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Retry-After"),
                    requestId(response),
                    Duration.ofNanos(System.nanoTime() - sent)));
            Thread.sleep(PACE.toMillis());
        }
        return answers;
    }

    private static HttpResponse<String> await(GatewayFixture gw, String auth, IntPredicate status, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = gw.get(PATH, auth);
            if (status.test(last.statusCode())) {
                return last;
            }
            assertThat(last.statusCode())
                    .as("only 200 or 503 while the database comes and goes")
                    .isIn(200, 503);
            Thread.sleep(PACE.toMillis());
        }
        fail("no matching status within " + timeout + "; last: " + (last == null ? "none" : last.statusCode()));
        return last;
    }
}
