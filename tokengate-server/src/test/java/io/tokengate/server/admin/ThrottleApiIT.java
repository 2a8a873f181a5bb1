package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The Friday afternoon of an admin: a CI runner's NAT address is throttled because one job keeps
 * using a revoked token, and every other job there gets 429. The admin sees why ({@code GET
 * /throttles}) and lifts it ({@code DELETE /throttles/{address}}), audited; users may do neither,
 * and what is not an address changes nothing. The gateway trusts 127.0.0.1 as a load balancer, so
 * each test's runner has an address of its own (X-Forwarded-For).
 */
class ThrottleApiIT {
    private static final int MAX_FAILURES = 3;

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("gateway.trusted.proxies", "127.0.0.1/32", "login.max.failures", Integer.toString(MAX_FAILURES)),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password".toCharArray());
        contract = new OpenApiContract();
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        gw.close();
    }

    @Test
    void anAdminSeesWhyAnAddressIsThrottledAndLiftsIt() throws Exception {
        String runner = "198.51.100.7";
        String working = GatewayFixture.basic(
                "alice",
                gw.createToken(TokenSpec.bound("nightly", "alice", "root"))
                        .secret()
                        .reveal());
        throttle(runner);
        assertThat(call(runner, working).statusCode())
                .as("a valid token not seen working there")
                .isEqualTo(429);

        AdminClient admin = AdminClient.basic(gw, contract, "root", "root-password");
        Reply listed = admin.get("/throttles");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode entry = only(listed.json().get("throttles"), runner);
        assertThat(entry.get("plane").asText()).isEqualTo("data");
        assertThat(entry.get("failures").asInt()).isEqualTo(MAX_FAILURES);
        assertThat(entry.get("throttled").asBoolean()).isTrue();
        assertThat(entry.get("secondsLeft").asLong()).isBetween(1L, 300L);
        assertThat(listed.body())
                .as("no credential material")
                .doesNotContain("tgk_")
                .doesNotContain("Basic");
        assertThat(admin.get("/throttles?plane=admin").json().get("throttles"))
                .noneSatisfy(t -> assertThat(t.get("address").asText()).isEqualTo(runner));
        assertThat(admin.get("/throttles?address=" + runner).json().get("throttles"))
                .hasSize(1);

        assertThat(log.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.contains("client address " + runner + " throttled")))
                .as("one warning, naming the remedy as it runs: on this server's admin plane")
                .singleElement()
                .asString()
                .endsWith("To lift it: tokengate throttle lift " + runner + " --plane data --server "
                        + gw.server.adminUri());
        assertRequestIdIsAField(runner);

        Reply lifted = admin.delete("/throttles/" + runner);
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.json().get("lifted").asBoolean()).isTrue();
        assertThat(lifted.json().get("cluster").asBoolean()).as("H2: one node").isFalse();
        assertThat(lifted.json().get("message").asText()).startsWith("Lifted " + runner + ": data plane: 3 failed");
        assertThat(call(runner, working).statusCode()).as("the next valid call").isEqualTo(200);
        assertThat(admin.get("/throttles").json().get("throttles"))
                .noneSatisfy(t -> assertThat(t.get("address").asText()).isEqualTo(runner));

        Reply again = admin.delete("/throttles/" + runner);
        assertThat(again.status()).as("nothing to lift is no error").isEqualTo(200);
        assertThat(again.json().get("lifted").asBoolean()).isFalse();
        assertThat(again.json().get("message").asText()).contains("nothing to lift");

        List<AuditEvent> audited = audited(runner);
        assertThat(audited).hasSize(2);
        AuditEvent first = audited.get(1);
        assertThat(first.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(first.actor()).isEqualTo("root");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.reason()).contains(runner).contains("3 failed logins forgotten");
        assertThat(String.valueOf(first)).doesNotContain("tgk_");
    }

    /** Lifted on the data plane only, the address is checked again there; the spelling of an IPv6 address does not matter. */
    @Test
    void anIpv6AddressIsLiftedHoweverItIsWritten() throws Exception {
        String runner = "2001:db8:0:0:0:0:0:7";
        String working = GatewayFixture.basic(
                "alice",
                gw.createToken(TokenSpec.bound("v6", "alice", "root")).secret().reveal());
        throttle(runner);
        assertThat(call(runner, working).statusCode()).isEqualTo(429);

        Reply lifted =
                AdminClient.basic(gw, contract, "root", "root-password").delete("/throttles/2001:db8::7?plane=data");
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.json().get("address").asText()).isEqualTo(runner);
        assertThat(lifted.json().get("forgotten").get(0).get("plane").asText()).isEqualTo("data");
        assertThat(call(runner, working).statusCode()).isEqualTo(200);

        String other = "2001:db8:0:0:0:0:0:8";
        throttle(other);
        Reply encoded = AdminClient.basic(gw, contract, "root", "root-password")
                .delete("/throttles/%5B2001%3Adb8%3A%3A8%5D"); // as the command line sends [2001:db8::8]
        assertThat(encoded.status()).as(encoded.body()).isEqualTo(200);
        assertThat(encoded.json().get("lifted").asBoolean()).as(encoded.body()).isTrue();
        assertThat(call(other, working).statusCode()).isEqualTo(200);
    }

    @Test
    void usersMayNeitherSeeNorLiftThrottles() throws Exception {
        String runner = "198.51.100.8";
        String working = GatewayFixture.basic(
                "alice",
                gw.createToken(TokenSpec.bound("weekly", "alice", "root"))
                        .secret()
                        .reveal());
        throttle(runner);
        AdminClient alice = AdminClient.basic(gw, contract, "alice", "alice-password");

        Reply list = alice.get("/throttles");
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.body()).doesNotContain(runner);
        Reply lift = alice.delete("/throttles/" + runner);
        assertThat(lift.status()).isEqualTo(403);
        assertThat(lift.json().get("message").asText()).contains("for admins only");
        assertThat(call(runner, working).statusCode()).as("still throttled").isEqualTo(429);

        List<AuditEvent> audited = audited(runner);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(AuditDecision.DENY);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.actor()).isEqualTo("alice");
        });
    }

    @Test
    void whatIsNotAnAddressOrAPlaneIsRefusedAndChangesNothing() throws Exception {
        String runner = "198.51.100.9";
        String working = GatewayFixture.basic(
                "alice",
                gw.createToken(TokenSpec.bound("monthly", "alice", "root"))
                        .secret()
                        .reveal());
        throttle(runner);
        AdminClient admin = AdminClient.basic(gw, contract, "root", "root-password");

        Reply host = admin.delete("/throttles/ci-runner.example.com");
        assertThat(host.status()).isEqualTo(400);
        assertThat(host.json().get("message").asText())
                .isEqualTo("address: 'ci-runner.example.com' is not an IP address (expected an IPv4 address like"
                        + " 192.168.1.7 or an IPv6 address like 2001:db8::1; host names are not accepted)");
        assertThat(host.json().get("field").asText()).isEqualTo("address");
        assertThat(admin.delete("/throttles/198.51.100.999")
                        .json()
                        .get("message")
                        .asText())
                .isEqualTo("address: '198.51.100.999' is not an IP address: 999 is not an IPv4 octet (0-255)");
        Reply plane = admin.delete("/throttles/" + runner + "?plane=both");
        assertThat(plane.status()).isEqualTo(400);
        assertThat(plane.json().get("message").asText())
                .isEqualTo("plane: 'both' is not a plane (expected data or admin; absent: both)");
        assertThat(admin.get("/throttles?address=nowhere").status()).isEqualTo(400);

        assertThat(call(runner, working).statusCode()).as("still throttled").isEqualTo(429);
        assertThat(only(admin.get("/throttles").json().get("throttles"), runner)
                        .get("failures")
                        .asInt())
                .isEqualTo(MAX_FAILURES);
    }

    /**
     * The admin's own address throttled on the admin plane (a script on the server with a wrong
     * password): the admin whose password worked from there since its first failure keeps working
     * there, and lifts it from there; a browser signed in keeps working too. Everyone else waits,
     * the right password as a wrong one, so the address learns nothing by guessing.
     */
    @Test
    void anAdminWhosePasswordWorkedFromAThrottledAddressKeepsWorkingThere() {
        adminKeepsWorkingFrom(gw, "198.51.100.30");
    }

    /** As above, each password checked anew rather than remembered ({@code admin.credential.cache.seconds = 0}). */
    @Test
    void anAdminWhosePasswordWorkedFromAThrottledAddressKeepsWorkingThereUnremembered(@TempDir Path uncachedHome) {
        try (GatewayFixture uncached = GatewayFixture.start(
                uncachedHome,
                Map.of(
                        "gateway.trusted.proxies",
                        "127.0.0.1/32",
                        "login.max.failures",
                        Integer.toString(MAX_FAILURES),
                        "admin.credential.cache.seconds",
                        "0"),
                GatewayFixture.headerUpstream())) {
            uncached.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            uncached.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password".toCharArray());
            adminKeepsWorkingFrom(uncached, "198.51.100.31");
        }
    }

    private static void adminKeepsWorkingFrom(GatewayFixture node, String server) {
        AdminClient browser = AdminClient.anonymous(node, contract)
                .signIn("root", "root-password")
                .with("X-Forwarded-For", server);
        AdminClient root =
                AdminClient.basic(node, contract, "root", "root-password").with("X-Forwarded-For", server);
        AdminClient alice =
                AdminClient.basic(node, contract, "alice", "alice-password").with("X-Forwarded-For", server);
        AdminClient script =
                AdminClient.basic(node, contract, "root", "not-the-password").with("X-Forwarded-For", server);
        assertThat(alice.get("/me").status()).as("before the first failure").isEqualTo(200);

        assertThat(script.get("/tokens").status()).isEqualTo(401);
        assertThat(root.get("/tokens").status()).as("since the first failure").isEqualTo(200);
        for (int i = 1; i < MAX_FAILURES; i++) {
            assertThat(script.get("/tokens").status()).isEqualTo(401);
        }
        assertThat(script.get("/tokens").status()).isEqualTo(429);

        assertThat(root.get("/tokens").status())
                .as("worked from there since its first failure")
                .isEqualTo(200);
        assertThat(AdminClient.anonymous(node, contract)
                        .with("X-Forwarded-For", server)
                        .post("/session", Map.of("user", "root", "password", "root-password"))
                        .status())
                .as("the same password signs in the web UI")
                .isEqualTo(200);
        assertThat(browser.get("/me").status()).as("a session signed in before").isEqualTo(200);
        Reply guess = AdminClient.basic(node, contract, "root", "a-guess")
                .with("X-Forwarded-For", server)
                .get("/tokens");
        Reply right = alice.get("/me");
        assertThat(right.status())
                .as("alice's right password, not seen working there since the first failure")
                .isEqualTo(guess.status())
                .isEqualTo(429);
        assertThat(right.json().get("message").asText())
                .isEqualTo(guess.json().get("message").asText());

        Reply lifted = root.delete("/throttles/" + server + "?plane=admin");
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.json().get("lifted").asBoolean()).isTrue();
        assertThat(alice.get("/me").status()).as("after the lift").isEqualTo(200);
    }

    /** The admin plane's warning names the command that lifts its throttle, as it runs, too. */
    @Test
    void theAdminPlanesWarningNamesTheCommandThatLiftsIt() throws Exception {
        String runner = "198.51.100.20";
        for (int i = 0; i < MAX_FAILURES; i++) {
            HttpResponse<String> refused =
                    gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1/tokens"))
                            .header("Authorization", GatewayFixture.basic("root", "not-the-password"))
                            .header("X-Forwarded-For", runner)
                            .build());
            assertThat(refused.statusCode()).isEqualTo(401);
        }
        assertThat(log.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.contains("client address " + runner + " throttled")))
                .singleElement()
                .asString()
                .contains("except for passwords that worked from it since its first")
                .endsWith("To lift it: tokengate throttle lift " + runner + " --plane admin --server "
                        + gw.server.adminUri());
        assertRequestIdIsAField(runner);
    }

    /**
     * The throttle warning about {@code address} starts with the id of the request that tipped it,
     * and the JSON log has that id as a field of its own, as on every line about one request, so
     * that a log shipper finds the request's audit record without parsing messages.
     */
    private static void assertRequestIdIsAField(String address) {
        ILoggingEvent warning = log.list.stream()
                .filter(e -> e.getFormattedMessage().contains("client address " + address + " throttled"))
                .findFirst()
                .orElseThrow();
        String id = warning.getFormattedMessage()
                .substring(0, warning.getFormattedMessage().indexOf(':'));
        assertThat(warning.getKeyValuePairs())
                .as("the request id, a field of its own in the JSON log")
                .isNotNull()
                .singleElement()
                .satisfies(pair -> {
                    assertThat(pair.key).isEqualTo("requestId");
                    assertThat(pair.value).isEqualTo(id);
                });
        assertThat(gw.audited(id)).as("the audit record of " + id).isPresent();
    }

    /** Fails {@link #MAX_FAILURES} logins from {@code address}, as a job with a revoked token does. */
    private static void throttle(String address) throws Exception {
        String revoked = GatewayFixture.basic("alice", "tgk_not-a-token-at-all");
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(call(address, revoked).statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> call(String clientIp, String authorization) throws Exception {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.server.dataUri() + "/rest/api/2/myself"))
                .header("Authorization", authorization)
                .header("X-Forwarded-For", clientIp)
                .build());
    }

    private static JsonNode only(JsonNode throttles, String address) {
        List<JsonNode> matching = new java.util.ArrayList<>();
        throttles.forEach(t -> {
            if (t.get("address").asText().equals(address)) {
                matching.add(t);
            }
        });
        assertThat(matching).as("%s in %s", address, throttles).hasSize(1);
        return matching.get(0);
    }

    /** The THROTTLE_LIFTED records whose path names {@code address}, newest first. */
    private static List<AuditEvent> audited(String address) {
        return gw.auditEvents().stream()
                .filter(e -> e.kind() == AuditKind.THROTTLE_LIFTED)
                .filter(e -> e.path() != null && e.path().endsWith("/" + address))
                .toList();
    }
}
