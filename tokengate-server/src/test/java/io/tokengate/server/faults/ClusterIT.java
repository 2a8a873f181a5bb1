package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two complete tokengate servers on one PostgreSQL database, sharing one key file: a revoke or an
 * edit made through node A's admin API takes effect on node B's data plane within one second,
 * although node B had the token cached; a token's rate limit counts its requests on both;
 * failed logins on one throttle the client address on both; and a throttle lifted through one is
 * lifted on both.
 */
class ClusterIT {
    private static final Duration PROMISE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a test does with two nodes, A and B, and an admin {@code root} on A. */
    private interface TwoNodes {
        void run(GatewayFixture a, GatewayFixture b) throws Exception;
    }

    private static void onTwoNodes(Path homeA, Path homeB, TwoNodes test) throws Exception {
        try (ScratchDatabase database = ScratchDatabase.create("tg_cluster_")) {
            Map<String, String> shared =
                    Map.of("db.url", "jdbc:postgresql://127.0.0.1:5432/" + database.name(), "db.user", "postgres");
            try (GatewayFixture a =
                    GatewayFixture.start(homeA, with(shared, "node-a"), GatewayFixture.headerUpstream())) {
                Files.copy(homeA.resolve("tokengate.key"), homeB.resolve("tokengate.key"));
                Files.setPosixFilePermissions(
                        homeB.resolve("tokengate.key"), Files.getPosixFilePermissions(homeA.resolve("tokengate.key")));
                try (GatewayFixture b =
                        GatewayFixture.start(homeB, with(shared, "node-b"), GatewayFixture.headerUpstream())) {
                    a.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
                    test.run(a, b);
                }
            }
        }
    }

    @Test
    void aChangeOnOneNodeTakesEffectOnTheOtherWithinASecond(@TempDir Path homeA, @TempDir Path homeB) throws Exception {
        onTwoNodes(homeA, homeB, (a, b) -> {
            var created = JSON.readTree(admin(
                    a,
                    "POST",
                    "/tokens",
                    "{\"name\":\"cluster\",\"user\":\"alice\",\"limits\":\".*/rest/api/2/issue/AAA.*\"}"));
            String id = created.get("id").asText();
            String auth = GatewayFixture.basic("alice", created.get("token").asText());
            assertThat(b.get("/rest/api/2/issue/AAA-1", auth).statusCode())
                    .as("node B, now cached")
                    .isEqualTo(200);
            assertThat(b.get("/rest/api/2/issue/ABC-1", auth).statusCode()).isEqualTo(403);

            admin(a, "PATCH", "/tokens/" + id, "{\"limits\":\".*/rest/api/2/issue/ABC.*\"}");
            long edited = System.nanoTime();
            awaitStatus(b, "/rest/api/2/issue/ABC-1", auth, 200);
            assertThat(Duration.ofNanos(System.nanoTime() - edited))
                    .as("edit seen by node B")
                    .isLessThan(PROMISE);

            admin(a, "POST", "/tokens/" + id + "/revoke", null);
            long revoked = System.nanoTime();
            awaitStatus(b, "/rest/api/2/issue/ABC-1", auth, 401);
            assertThat(Duration.ofNanos(System.nanoTime() - revoked))
                    .as("revoke seen by node B")
                    .isLessThan(PROMISE);
        });
    }

    @Test
    void aRateLimitHoldsForBothNodesTogether(@TempDir Path homeA, @TempDir Path homeB) throws Exception {
        onTwoNodes(homeA, homeB, (a, b) -> {
            var created = JSON.readTree(admin(
                    a,
                    "POST",
                    "/tokens",
                    "{\"name\":\"paced\",\"user\":\"alice\",\"limits\":\".*\",\"rateLimit\":\"5/min\"}"));
            String auth = GatewayFixture.basic("alice", created.get("token").asText());
            for (int i = 0; i < 5; i++) {
                assertThat(a.get("/rest/api/2/issue/AAA-1", auth).statusCode())
                        .as("request %d on node A", i)
                        .isEqualTo(200);
            }
            Thread.sleep(PROMISE.toMillis()); // node B hears of them; nothing here can tell when

            var refused = b.get("/rest/api/2/issue/AAA-1", auth);
            assertThat(refused.statusCode())
                    .as("node B, whose own bucket is full")
                    .isEqualTo(429);
            assertThat(Long.parseLong(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .as("one request every 12 s")
                    .isBetween(1L, 12L);
        });
    }

    @Test
    void failedLoginsOnOneNodeThrottleTheAddressOnTheOther(@TempDir Path homeA, @TempDir Path homeB) throws Exception {
        onTwoNodes(homeA, homeB, (a, b) -> {
            var created = JSON.readTree(admin(a, "POST", "/tokens", "{\"name\":\"guessed\",\"user\":\"alice\"}"));
            String right = GatewayFixture.basic("alice", created.get("token").asText());
            String wrong = GatewayFixture.basic("alice", "not-the-secret");
            for (int i = 0; i < 3; i++) {
                assertThat(a.get("/rest/api/2/issue/AAA-1", wrong).statusCode()).isEqualTo(401);
            }
            Thread.sleep(PROMISE.toMillis()); // node B hears of them; nothing here can tell when

            var throttled = b.get("/rest/api/2/issue/AAA-1", right);
            assertThat(throttled.statusCode())
                    .as("node B, where this address has not failed once")
                    .isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        });
    }

    /**
     * An admin lifts, through node B, the throttle that failures on node A caused: node A, which
     * counted them itself, checks the address's next login again within a second, and so does B.
     */
    @Test
    void aThrottleLiftedOnOneNodeIsLiftedOnTheOther(@TempDir Path homeA, @TempDir Path homeB) throws Exception {
        onTwoNodes(homeA, homeB, (a, b) -> {
            var created = JSON.readTree(admin(a, "POST", "/tokens", "{\"name\":\"ci job\",\"user\":\"alice\"}"));
            String right = GatewayFixture.basic("alice", created.get("token").asText());
            String revoked = GatewayFixture.basic("alice", "not-the-secret");
            for (int i = 0; i < 3; i++) {
                assertThat(a.get("/rest/api/2/issue/AAA-1", revoked).statusCode())
                        .isEqualTo(401);
            }
            assertThat(a.get("/rest/api/2/issue/AAA-1", right).statusCode())
                    .as("node A, where the address failed")
                    .isEqualTo(429);
            Thread.sleep(PROMISE.toMillis()); // node B hears of them; nothing here can tell when
            assertThat(b.get("/rest/api/2/issue/AAA-1", right).statusCode())
                    .as("node B, told of them")
                    .isEqualTo(429);
            var listed = JSON.readTree(admin(b, "GET", "/throttles?plane=data", null));
            assertThat(listed.get("throttles"))
                    .as("node B lists what node A counted")
                    .anySatisfy(t -> assertThat(t.get("throttled").asBoolean()).isTrue());

            var lifted = JSON.readTree(admin(b, "DELETE", "/throttles/127.0.0.1?plane=data", null));
            long sent = System.nanoTime();
            assertThat(lifted.get("cluster").asBoolean()).isTrue();
            assertThat(lifted.get("lifted").asBoolean())
                    .as("B counted what A told it, even when its own listener forgets it first: %s", lifted)
                    .isTrue();
            awaitStatus(a, "/rest/api/2/issue/AAA-1", right, 200);
            assertThat(Duration.ofNanos(System.nanoTime() - sent))
                    .as("lift seen by node A")
                    .isLessThan(PROMISE);
            assertThat(b.get("/rest/api/2/issue/AAA-1", right).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(admin(a, "GET", "/throttles?plane=data", null))
                            .get("throttles"))
                    .as("node A has forgotten its own count")
                    .isEmpty();
        });
    }

    private static Map<String, String> with(Map<String, String> shared, String node) {
        Map<String, String> settings = new java.util.HashMap<>(shared);
        settings.put("node.id", node);
        settings.put("login.max.failures", "3");
        return settings;
    }

    private static String admin(GatewayFixture gw, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1" + path))
                .header("Authorization", GatewayFixture.basic("root", "root-password-1"))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var response = gw.send(request.build());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return response.body();
    }

    /** Polls node {@code gw} until the request gets {@code status}; the caller times it. */
    private static void awaitStatus(GatewayFixture gw, String path, String auth, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = gw.get(path, auth).statusCode();
            if (last == status) {
                return;
            }
        }
        assertThat(last).as("status on " + path).isEqualTo(status);
    }
}
