package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under a running gateway (PostgreSQL, the network to it cut): the data
 * plane fails closed with 503 instead of trusting what it cached, and recovers by itself when
 * the database returns, writing the audit records it queued meanwhile.
 */
class DatabaseOutageIT {
    private static final String ADMIN_URL = System.getenv()
            .getOrDefault("TOKENGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Test
    void theDataPlaneFailsClosedAndRecoversWithTheDatabase(@TempDir Path home) throws Exception {
        String database =
                "tg_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
                GatewayFixture gw = GatewayFixture.start(
                        home,
                        Map.of(
                                "db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                                "db.user", "postgres",
                                "audit.reserve.wait.ms", "100"),
                        GatewayFixture.headerUpstream())) {
            String secret = gw.createToken(TokenSpec.bound("outage", "admin", "test"))
                    .secret()
                    .reveal();
            String auth = GatewayFixture.basic("admin", secret);
            assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(200);

            proxy.cut();
            Instant cut = Instant.now();
            HttpResponse<String> down = await(gw, auth, status -> status == 503, Duration.ofSeconds(60));
            assertThat(down.body()).contains("\"status\":503");
            // A request or two may be served from the cache in the instant before the node notices
            // (its listener polls every 200 ms); after that, nothing reaches the upstream.
            assertThat(Duration.between(cut, Instant.now())).isLessThan(Duration.ofSeconds(10));
            List<String> forwarded = requestIds(gw);
            for (int i = 0; i < 5; i++) {
                assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(503);
            }
            assertThat(requestIds(gw)).isEqualTo(forwarded);

            proxy.restore();
            await(gw, auth, status -> status == 200, Duration.ofSeconds(90));

            assertThat(gw.auditEvents())
                    .as("records of the outage were queued and written once the database returned")
                    .anySatisfy(e -> assertThat(e.status()).isEqualTo(503));
            // A record is submitted as its request completes, which can be just after the client
            // has the answer: audited(id) waits for it.
            for (String forwardedId : requestIds(gw)) {
                assertThat(gw.audited(forwardedId))
                        .as("every request that reached the upstream is audited, even those of the outage")
                        .isPresent();
            }
        } finally {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static List<String> requestIds(GatewayFixture gw) {
        return gw.jira.received().stream()
                .map(r -> r.header("X-Request-Id").orElseThrow())
                .toList();
    }

    private static HttpResponse<String> await(GatewayFixture gw, String auth, IntPredicate status, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            last = gw.get("/rest/api/2/issue/AAA-1", auth);
            if (status.test(last.statusCode())) {
                return last;
            }
            assertThat(last.statusCode())
                    .as("only 200 or 503 while the database comes and goes")
                    .isIn(200, 503);
        }
        fail("no matching status within " + timeout + "; last: " + (last == null ? "none" : last.statusCode()));
        return last;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is needed at " + ADMIN_URL + " (run .ci/setup): " + e.getMessage(), e);
        }
    }
}
