package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed sign-ins are throttled per client address; and behind an https admin URL the session
 * cookie is Secure and the public origin is accepted.
 */
class AdminThrottleIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("login.max.failures", "3", "admin.public.url", "https://admin.example.com"),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        contract = new OpenApiContract();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void behindHttpsTheCookieIsSecureAndThePublicOriginIsAccepted() {
        Reply reply = AdminClient.anonymous(gw, contract)
                .with("Origin", "https://admin.example.com")
                .post("/session", Map.of("user", "root", "password", "root-password"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.setCookie(Sessions.COOKIE))
                .get()
                .asString()
                .contains("Secure")
                .contains("HttpOnly");
    }

    /** Guesses sent all at once get no further than the same number one after the other. */
    @Test
    void guessesSentAtOnceAreThrottledToo(@TempDir Path parallelHome) throws Exception {
        try (GatewayFixture parallel = GatewayFixture.start(
                parallelHome, Map.of("login.max.failures", "3"), GatewayFixture.headerUpstream())) {
            parallel.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> guesses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                guesses.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create(parallel.server.adminUri() + "/api/v1/session"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"user\":\"root\",\"password\":\"guess-" + i + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> guess : guesses) {
                statuses.add(guess.get(60, TimeUnit.SECONDS).statusCode());
            }
            assertThat(statuses).containsOnly(401, 429);
            assertThat(statuses.stream().filter(status -> status == 401))
                    .as("checked, out of 20 sent at once: %s", statuses)
                    .hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void repeatedFailuresAreThrottledWithRetryAfter() throws Exception {
        AdminClient anonymous = AdminClient.anonymous(gw, contract);
        AdminClient wrongBasic = AdminClient.basic(gw, contract, "root", "wrong-1");
        assertThat(anonymous
                        .post("/session", Map.of("user", "root", "password", "wrong-2"))
                        .status())
                .isEqualTo(401);
        assertThat(wrongBasic.get("/me").status()).isEqualTo(401);
        assertThat(anonymous
                        .post("/session", Map.of("user", "nobody", "password", "wrong-3"))
                        .status())
                .isEqualTo(401);

        Reply throttled = anonymous.post("/session", Map.of("user", "root", "password", "root-password"));
        assertThat(throttled.status()).as("even the right password waits").isEqualTo(429);
        assertThat(Integer.parseInt(throttled.header("Retry-After").orElseThrow()))
                .isPositive();
        assertThat(throttled.json().get("message").asText()).contains("Too many failed sign-ins");
        Reply basic = AdminClient.basic(gw, contract, "root", "root-password").get("/tokens");
        assertThat(basic.status()).isEqualTo(429);

        gw.server.store().audit().flush(java.time.Duration.ofSeconds(5));
        long failures = gw.server
                .store()
                .auditLog()
                .query(io.tokengate.core.audit.AuditQuery.all()
                        .withKind(io.tokengate.core.audit.AuditKind.LOGIN_FAILED))
                .events()
                .size();
        assertThat(failures)
                .as("every refused sign-in is audited, throttled ones too")
                .isEqualTo(5);
    }
}
