package io.tokengate.server.faults;

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
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's PostgreSQL really stops ({@code pg_ctl stop}) and starts again, under a running
 * gateway: the node turns requests away with 503 promptly, and serves again soon after the
 * database is back.
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
     * it to wake. Three outages, each long enough for the maker to reach its longest sleeps, and each
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
            for (Duration outage :
                    List.of(Duration.ofMillis(10_500), Duration.ofMillis(12_000), Duration.ofMillis(13_500))) {
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
