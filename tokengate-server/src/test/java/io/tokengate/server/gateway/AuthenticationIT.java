package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.MutableClock;
import io.tokengate.store.UserRole;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call, as whom, and what the audit log says about it: Basic and Bearer, bound and
 * unbound tokens, expiry, revocation and rotation, allowed client addresses, run-as, failed-login
 * throttling, per-token rate limits, and the headers the upstream gets. The gateway trusts
 * 127.0.0.1 as a load balancer, so each test speaks from its own client address (X-Forwarded-For)
 * and throttling in one test cannot touch another.
 */
class AuthenticationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FAILURES = 3;
    private static final Duration WINDOW = Duration.ofSeconds(60);

    @TempDir
    static Path home;

    static final MutableClock clock = new MutableClock();
    static GatewayFixture gw;

    /** This test's client address, from 2001:db8::/32 (documentation), unique per test. */
    private String clientIp;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "gateway.trusted.proxies", "127.0.0.1/32",
                        "login.max.failures", Integer.toString(MAX_FAILURES),
                        "login.window.seconds", Long.toString(WINDOW.toSeconds())),
                GatewayFixture.headerUpstream(),
                clock);
        gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
        gw.addUser("alice", "alice@example.com", UserRole.USER);
        gw.addUser("ansible", "ansible@ansible.jira.pl", UserRole.USER);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @BeforeEach
    void address(TestInfo test) throws Exception {
        int hash = test.getDisplayName().hashCode();
        clientIp =
                canonical("2001:db8::" + Integer.toHexString(hash >>> 16) + ":" + Integer.toHexString(hash & 0xffff));
        gw.jira.clearReceived();
    }

    /** The address as the gateway writes it (IPv6 in full, no "::"). */
    private static String canonical(String ip) throws Exception {
        return InetAddress.getByName(ip).getHostAddress();
    }

    @Test
    void bearerWorksForBoundTokensAndRunsAsTheBoundUser() throws Exception {
        String secret = secret(TokenSpec.bound("bearer", "alice", "admin"));
        HttpResponse<String> response = get("/rest/api/2/myself", "Bearer " + secret);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("name").asText()).isEqualTo("alice");
        assertThat(lastReceived().header("X-Forwarded-User")).contains("alice");
        AuditEvent event = audited(response);
        assertThat(event.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(event.basicUser()).isNull();
        assertThat(event.effectiveUser()).isEqualTo("alice");
    }

    /**
     * User and secret swapped, and the secret mistyped by one character: the audit log must not
     * keep it, since the real secret is one of 42 × 62 guesses away from it.
     */
    @Test
    void aMistypedSecretInTheUserFieldIsNotKeptInTheAuditLog() throws Exception {
        String secret = secret(TokenSpec.bound("swapped", "alice", "admin"));
        char wrong = secret.charAt(20) == 'x' ? 'y' : 'x';
        String typo = secret.substring(0, 20) + wrong + secret.substring(21);
        HttpResponse<String> response = get("/rest/api/2/myself", GatewayFixture.basic(typo, "alice"));
        assertUnauthorized(response);
        AuditEvent event = audited(response);
        assertThat(event.basicUser()).isEqualTo("tgk_…" + typo.substring(typo.length() - 4));
        assertThat(String.valueOf(event)).doesNotContain(typo.substring(4, 30));
    }

    @Test
    void anUnboundTokenIsNoBearerTokenSinceItNamesNobody() throws Exception {
        String secret = secret(TokenSpec.unbound("unbound bearer", "admin"));
        HttpResponse<String> response = get("/rest/api/2/myself", "Bearer " + secret);
        assertUnauthorized(response);
        assertThat(audited(response).reason()).contains("unbound token cannot be used as a Bearer token");
        assertThat(gw.jira.received()).isEmpty();
    }

    @Test
    void anUnboundTokenRunsAsWhicheverUserTheBasicCredentialsName() throws Exception {
        String secret = secret(TokenSpec.unbound("unbound", "admin"));
        for (String user : List.of("bob", "carol")) {
            HttpResponse<String> response = get("/rest/api/2/myself", GatewayFixture.basic(user, secret));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(lastReceived().header("X-Forwarded-User")).contains(user);
            AuditEvent event = audited(response);
            assertThat(event.basicUser()).isEqualTo(user);
            assertThat(event.effectiveUser()).isEqualTo(user);
            assertThat(event.tokenName()).isEqualTo("unbound");
        }
    }

    @Test
    void aUserNameAHeaderCannotCarryExactlyIsRefusedNotPassedOnAsSomebodyElse() throws Exception {
        // Jetty writes characters above U+00FF as spaces and upstreams trim: "admin😀" or "admin "
        // would arrive as "admin".
        String unbound = secret(TokenSpec.unbound("unbound, hostile names", "admin"));
        for (String user : List.of("admin\uD83D\uDE00", "admin ", " admin", "j\u00fcrgen")) {
            HttpResponse<String> response = get("/rest/api/2/myself", GatewayFixture.basic(user, unbound));
            assertThat(response.statusCode()).as(user).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).get("message").asText())
                    .startsWith("This user cannot be passed to the upstream unambiguously");
            assertThat(audited(response).reason()).startsWith("effective user cannot be named upstream");
        }
        assertThat(get("/rest/api/2/myself", GatewayFixture.basic("admin\u0085", unbound))
                        .statusCode())
                .as("control characters make the credentials malformed")
                .isEqualTo(401);
        String bound = secret(TokenSpec.bound("bound, non-ASCII user", "zo\u00eb", "admin"));
        assertThat(get("/rest/api/2/myself", GatewayFixture.basic("zo\u00eb", bound))
                        .statusCode())
                .isEqualTo(403);
        assertThat(gw.jira.received()).isEmpty();
    }

    @Test
    void aBoundTokenTakesItsUsersNameOrEmailInAnyCaseAndNobodyElses() throws Exception {
        String secret = secret(TokenSpec.bound("ansible", "ansible", "admin"));
        for (String user : List.of("ansible", "ANSIBLE", "ansible@ansible.jira.pl", "Ansible@Ansible.Jira.PL")) {
            HttpResponse<String> response = get("/rest/api/2/myself", GatewayFixture.basic(user, secret));
            assertThat(response.statusCode()).as(user).isEqualTo(200);
            assertThat(lastReceived().header("X-Forwarded-User")).contains("ansible");
            assertThat(audited(response).effectiveUser()).isEqualTo("ansible");
        }
        HttpResponse<String> alice = get("/rest/api/2/myself", GatewayFixture.basic("alice", secret));
        assertUnauthorized(alice);
        assertThat(audited(alice).reason()).contains("bound to another user");
    }

    /**
     * Missing, malformed, unknown, expired, revoked, another user's: the client cannot tell them
     * apart (same status, challenge and message), the audit log can.
     */
    @Test
    void everyRefusedCredentialGetsTheSame401AndTheAuditLogKeepsThePreciseReason() throws Exception {
        CreatedToken expiring =
                gw.createToken(TokenSpec.bound("expiring", "alice", "admin").withExpiry(Expiry.inDays(1)));
        CreatedToken revoked = gw.createToken(TokenSpec.bound("revoked", "alice", "admin"));
        String bobs = secret(TokenSpec.bound("bob's", "bob", "admin"));
        assertThat(get(
                                "/rest/api/2/myself",
                                GatewayFixture.basic("alice", expiring.secret().reveal()))
                        .statusCode())
                .isEqualTo(200);
        gw.server.store().tokens().revoke(revoked.token().id());
        clock.advance(Duration.ofDays(2));
        gw.jira.clearReceived();

        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put(null, null); // no Authorization header: 401, not audited (nobody to attribute it to)
        reasons.put(GatewayFixture.basic("alice", expiring.secret().reveal()), "token expired at");
        reasons.put(GatewayFixture.basic("alice", revoked.secret().reveal()), "token revoked at");
        reasons.put(
                GatewayFixture.basic(
                        "alice", TokenSecret.generate(new SecureRandom()).reveal()),
                "unknown token");
        reasons.put(GatewayFixture.basic("alice", bobs), "bound to another user");
        reasons.put(GatewayFixture.basic("alice", "alice-password"), "not a tokengate token");
        reasons.put("Basic !!!not-base64!!!", "malformed Authorization header");
        reasons.put("Digest username=\"alice\"", "malformed Authorization header");
        reasons.put("Bearer " + revoked.secret().reveal(), "token revoked at");

        List<JsonNode> bodies = new ArrayList<>();
        for (Map.Entry<String, String> attempt : reasons.entrySet()) {
            clock.advance(WINDOW.plusSeconds(1)); // many failures here; throttling is tested below
            HttpResponse<String> response = get("/rest/api/2/myself", attempt.getKey());
            assertUnauthorized(response);
            ObjectNode body = (ObjectNode) JSON.readTree(response.body());
            body.remove("requestId");
            bodies.add(body);
            if (attempt.getValue() != null) {
                AuditEvent event = audited(response);
                assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
                assertThat(event.status()).isEqualTo(401);
                assertThat(event.reason()).as(attempt.getKey()).contains(attempt.getValue());
            }
        }
        assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.get(0)));
        assertThat(gw.jira.received()).isEmpty();
        assertThat(audited(get(
                                "/rest/api/2/myself",
                                GatewayFixture.basic("alice", revoked.secret().reveal())))
                        .tokenName())
                .as("an attempt with a revoked token is filed under that token")
                .isEqualTo("revoked");
    }

    @Test
    void aRotatedTokensOldSecretIsDeadAtOnce() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("rotating", "alice", "admin"));
        String old = GatewayFixture.basic("alice", token.secret().reveal());
        assertThat(get("/rest/api/2/myself", old).statusCode()).isEqualTo(200); // now cached
        CreatedToken rotated =
                gw.server.store().tokens().rotate(token.token().id()).orElseThrow();
        HttpResponse<String> refused = get("/rest/api/2/myself", old);
        assertUnauthorized(refused);
        assertThat(audited(refused).reason()).contains("unknown token");
        HttpResponse<String> renewed = get(
                "/rest/api/2/myself",
                GatewayFixture.basic("alice", rotated.secret().reveal()));
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(audited(renewed).tokenName()).isEqualTo("rotating");
    }

    @Test
    void aTokenWithAllowedAddressesWorksFromThoseOnly() throws Exception {
        String auth = GatewayFixture.basic(
                "alice", secret(TokenSpec.bound("office", "alice", "admin").withAllowedIps("192.0.2.0/24")));
        HttpResponse<String> outside = get("/rest/api/2/myself", auth);
        assertThat(outside.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(outside.body()).path("message").asText())
                .isEqualTo("This token may not be used from this address.");
        AuditEvent refused = audited(outside);
        assertThat(refused.reason()).contains("client address " + clientIp + " not allowed");
        assertThat(refused.clientIp()).isEqualTo(clientIp);
        assertThat(gw.jira.received()).isEmpty();

        clientIp = "192.0.2.7";
        HttpResponse<String> inside = get("/rest/api/2/myself", auth);
        assertThat(inside.statusCode()).isEqualTo(200);
        assertThat(audited(inside).clientIp()).isEqualTo("192.0.2.7");
        assertThat(lastReceived().header("X-Forwarded-For")).contains("192.0.2.7");
    }

    @Test
    void anAdminMayRunAsAnotherUserAndTheAuditLogRecordsBoth() throws Exception {
        String auth = GatewayFixture.basic("admin", secret(TokenSpec.bound("admin run-as", "admin", "admin")));
        HttpResponse<String> response = get("/rest/api/2/myself", auth, "contextUser", "bob");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("name").asText()).isEqualTo("bob");
        ReceivedRequest seen = lastReceived();
        assertThat(seen.header("X-Forwarded-User")).contains("bob");
        assertThat(seen.header("contextUser"))
                .as("run-as is resolved by the gateway")
                .isEmpty();
        AuditEvent event = audited(response);
        assertThat(event.basicUser()).isEqualTo("admin");
        assertThat(event.effectiveUser()).isEqualTo("bob");
        assertThat(event.reason()).endsWith("; run as bob by admin");
    }

    @Test
    void aBearerTokensRunAsNamesWhoRanItInTheAuditLog() throws Exception {
        String secret = secret(TokenSpec.bound("admin bearer run-as", "admin", "admin"));
        HttpResponse<String> response = get("/rest/api/2/myself", "Bearer " + secret, "contextUser", "bob");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(lastReceived().header("X-Forwarded-User")).contains("bob");
        AuditEvent event = audited(response);
        assertThat(event.basicUser()).as("no Basic user to say who ran it").isNull();
        assertThat(event.effectiveUser()).isEqualTo("bob");
        assertThat(event.reason()).endsWith("; run as bob by admin");
    }

    @Test
    void aUserWhoIsNoAdminMayNotRunAsAnotherUser() throws Exception {
        String auth = GatewayFixture.basic("alice", secret(TokenSpec.bound("alice run-as", "alice", "admin")));
        HttpResponse<String> response = get("/rest/api/2/myself", auth, "contextUser", "admin");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .isEqualTo("User alice may not run requests as another user (contextUser: admin).");
        AuditEvent event = audited(response);
        assertThat(event.basicUser()).isEqualTo("alice");
        assertThat(event.effectiveUser()).isEqualTo("alice");
        assertThat(event.reason()).as("the user asked for is kept").contains("contextUser: admin");
        assertThat(gw.jira.received()).isEmpty();
    }

    @Test
    void failedLoginsFromOneAddressAreThrottledWithRetryAfter() throws Exception {
        String good = GatewayFixture.basic("alice", secret(TokenSpec.bound("throttled", "alice", "admin")));
        String bad = GatewayFixture.basic(
                "alice", TokenSecret.generate(new SecureRandom()).reveal());
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertUnauthorized(get("/rest/api/2/myself", bad));
        }
        HttpResponse<String> throttled = get("/rest/api/2/myself", good);
        assertThat(throttled.statusCode()).isEqualTo(429);
        long retryAfter =
                Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, WINDOW.toSeconds());
        JsonNode body = JSON.readTree(throttled.body());
        assertThat(body.path("status").asInt()).isEqualTo(429);
        assertThat(body.path("message").asText()).contains("Too many failed logins");
        assertThat(audited(throttled).reason()).isEqualTo("login throttled");
        assertThat(gw.jira.received()).isEmpty();

        String otherAddress = clientIp;
        clientIp = canonical("2001:db8:ffff::1");
        assertThat(get("/rest/api/2/myself", good).statusCode())
                .as("another address is not throttled")
                .isEqualTo(200);
        clientIp = otherAddress;
        clock.advance(Duration.ofSeconds(retryAfter + 1));
        assertThat(get("/rest/api/2/myself", good).statusCode())
                .as("after Retry-After")
                .isEqualTo(200);
    }

    /**
     * A CI runner where one job still uses a rotated token: once the address is throttled, the
     * runner's other jobs keep working with tokens that worked from it since it began failing;
     * guesses, and tokens it has not seen work there since, wait out the window.
     */
    @Test
    void tokensThatWorkedFromAThrottledAddressKeepWorkingThere() throws Exception {
        String working = GatewayFixture.basic("alice", secret(TokenSpec.bound("nightly", "alice", "admin")));
        String unseen = GatewayFixture.basic("alice", secret(TokenSpec.bound("weekly", "alice", "admin")));
        CreatedToken rotated = gw.createToken(TokenSpec.bound("rotated", "alice", "admin"));
        String rotatedAway = GatewayFixture.basic("alice", rotated.secret().reveal());
        gw.server.store().tokens().revoke(rotated.token().id());

        assertUnauthorized(get("/rest/api/2/myself", rotatedAway));
        assertThat(get("/rest/api/2/myself", working).statusCode()).isEqualTo(200);
        for (int i = 1; i < MAX_FAILURES; i++) {
            assertUnauthorized(get("/rest/api/2/myself", rotatedAway));
        }

        assertThat(get("/rest/api/2/myself", rotatedAway).statusCode()).isEqualTo(429);
        assertThat(get("/rest/api/2/myself", unseen).statusCode())
                .as("not seen working from this address since its failures began")
                .isEqualTo(429);
        HttpResponse<String> kept = get("/rest/api/2/myself", working);
        assertThat(kept.statusCode()).as("worked from this address since").isEqualTo(200);
        assertThat(audited(kept).decision()).isEqualTo(AuditDecision.ALLOW);

        clock.advance(WINDOW.plusSeconds(1));
        assertThat(get("/rest/api/2/myself", unseen).statusCode())
                .as("after the window")
                .isEqualTo(200);
    }

    @Test
    void aTokenBeyondItsRateLimitGets429WithRetryAfterUntilItsBucketRefills() throws Exception {
        CreatedToken created =
                gw.createToken(TokenSpec.bound("rated", "alice", "admin").withRateLimit("2/min"));
        String auth = GatewayFixture.basic("alice", created.secret().reveal());
        String other = GatewayFixture.basic("alice", secret(TokenSpec.bound("unrated", "alice", "admin")));
        assertThat(get("/rest/api/2/myself", auth).statusCode()).isEqualTo(200);
        assertThat(get("/rest/api/2/myself", auth).statusCode())
                .as("a burst of the whole rate")
                .isEqualTo(200);

        HttpResponse<String> limited = get("/rest/api/2/myself", auth);
        assertThat(limited.statusCode()).isEqualTo(429);
        long retryAfter = retryAfter(limited);
        assertThat(retryAfter).as("one interval: a minute shared by two").isBetween(29L, 30L);
        JsonNode body = JSON.readTree(limited.body());
        assertThat(body.path("status").asInt()).isEqualTo(429);
        assertThat(body.path("message").asText())
                .isEqualTo("This token's rate limit is 2/min; retry in " + retryAfter + " s.");
        AuditEvent event = audited(limited);
        assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(event.reason()).isEqualTo("rate limit 2/min exceeded");
        assertThat(event.tokenName()).isEqualTo("rated");
        assertThat(gw.jira.received()).hasSize(2);
        assertThat(get("/rest/api/2/myself", other).statusCode())
                .as("another token of the same user")
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(25));
        HttpResponse<String> later = get("/rest/api/2/myself", auth);
        assertThat(later.statusCode()).isEqualTo(429);
        assertThat(retryAfter(later))
                .as("refused requests are not counted: the wait only shrinks")
                .isBetween(1L, 5L);
        clock.advance(Duration.ofSeconds(5));
        assertThat(get("/rest/api/2/myself", auth).statusCode())
                .as("one interval later, one more")
                .isEqualTo(200);
        assertThat(get("/rest/api/2/myself", auth).statusCode()).isEqualTo(429);

        gw.server.store().tokens().edit(created.token().id(), TokenEdit.none().withRateLimit("none"));
        for (int i = 0; i < 5; i++) {
            assertThat(get("/rest/api/2/myself", auth).statusCode())
                    .as("without its limit")
                    .isEqualTo(200);
        }
    }

    @Test
    void requestsTheRestrictionsRefuseCountAgainstTheRateLimitToo() throws Exception {
        String auth = GatewayFixture.basic(
                "alice",
                secret(TokenSpec.bound("rated, restricted", "alice", "admin")
                        .withLimits("[GET].*/rest/api/2/myself")
                        .withRateLimit("1/h")));
        assertThat(get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(403);
        HttpResponse<String> limited = get("/rest/api/2/myself", auth);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(retryAfter(limited)).isBetween(3599L, 3600L);
        assertThat(gw.jira.received()).isEmpty();
    }

    @Test
    void theUpstreamGetsTheGatewaysForwardingHeadersAndNoneOfTheClientsCredentials() throws Exception {
        String auth = GatewayFixture.basic("alice", secret(TokenSpec.bound("headers", "alice", "admin")));
        HttpResponse<String> response = get(
                "/rest/api/2/myself",
                auth,
                "Cookie",
                "JSESSIONID=client-session",
                "X-Forwarded-Proto",
                "gopher",
                "X-Forwarded-Host",
                "evil.example",
                "X-Request-Id",
                "client-chosen-id",
                "Proxy-Authorization",
                "Basic YWRtaW46YWRtaW4=");
        assertThat(response.statusCode()).isEqualTo(200);
        ReceivedRequest seen = lastReceived();
        assertThat(seen.header("Authorization")).isEmpty();
        assertThat(seen.header("Proxy-Authorization")).isEmpty();
        assertThat(seen.header("Cookie")).isEmpty();
        assertThat(seen.headerValues("X-Forwarded-User")).containsExactly("alice");
        assertThat(seen.headerValues("X-Forwarded-For")).containsExactly(clientIp);
        assertThat(seen.headerValues("X-Forwarded-Proto")).containsExactly("http");
        assertThat(seen.headerValues("X-Forwarded-Host"))
                .containsExactly(gw.server.gateway().publicUrl().replace("http://", ""));
        assertThat(seen.headerValues("X-Request-Id"))
                .containsExactly(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(seen.header("Host")).contains(gw.jira.baseUri().getAuthority());
        assertThat(response.headers().allValues("X-Request-Id")).hasSize(1);
    }

    @Test
    void everyDecisionIsAuditedWithItsReasonAndRule() throws Exception {
        String auth = GatewayFixture.basic(
                "alice",
                secret(TokenSpec.bound("audited", "alice", "admin")
                        .withLimits("[GET].*/rest/api/2/issue/JRA.*\n.*/rest/api/2/myself")));
        HttpResponse<String> allowed = get("/rest/api/2/issue/JRA-1?fields=summary", auth);
        HttpResponse<String> denied = get("/rest/api/2/issue/AAA-1", auth);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(denied.statusCode()).isEqualTo(403);

        AuditEvent yes = audited(allowed);
        assertThat(yes.decision()).isEqualTo(AuditDecision.ALLOW);
        assertThat(yes.matchedRule()).isEqualTo("[GET].*/rest/api/2/issue/JRA.*");
        assertThat(yes.method()).isEqualTo("GET");
        assertThat(yes.path()).isEqualTo("/rest/api/2/issue/JRA-1");
        assertThat(yes.query()).isEqualTo("fields=summary");
        assertThat(yes.status()).isEqualTo(200);
        assertThat(yes.upstreamMillis()).isNotNull();
        assertThat(yes.bytesOut()).isEqualTo(allowed.body().length());
        assertThat(yes.node()).isEqualTo("test-node");
        assertThat(yes.clientIp()).isEqualTo(clientIp);

        AuditEvent no = audited(denied);
        assertThat(no.decision()).isEqualTo(AuditDecision.DENY);
        assertThat(no.status()).isEqualTo(403);
        assertThat(no.matchedRule()).isNull();
        assertThat(no.reason()).contains("rule 1").contains("rule 2");
        assertThat(no.upstreamMillis()).isNull();
    }

    private HttpResponse<String> get(String path, String authorization, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.url(path)).header("X-Forwarded-For", clientIp);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }

    /**
     * A request Jetty's parser refuses part-way is recorded under the proxy it came through, not
     * under an X-Forwarded-For read before the fault: a proxy may add its own field after the
     * client's (HAProxy does), and the client's claim would then be the last one read.
     */
    @Test
    void aRequestRefusedBeforeItsHeadersEndIsNotRecordedUnderTheClientsClaim() throws Exception {
        String secret = secret(TokenSpec.bound("claim", "alice", "admin"));
        String answer = gw.raw("GET /rest/api/2/myself HTTP/1.1\r\nHost: gateway\r\n"
                + "X-Forwarded-For: 198.51.100.66\r\n"
                + "Authorization: " + GatewayFixture.basic("alice", secret) + "\r\n"
                + "X-Pad: " + "x".repeat(17_000) + "\r\n"
                + "X-Forwarded-For: " + clientIp + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431");
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("(?im)^X-Request-Id: (\\S+)").matcher(answer);
        assertThat(id.find()).as(answer).isTrue();

        AuditEvent event = gw.audited(id.group(1)).orElseThrow(() -> new AssertionError("not audited: " + answer));
        assertThat(event.basicUser()).isEqualTo("alice");
        assertThat(event.clientIp()).as("the proxy the request came through").isEqualTo("127.0.0.1");
    }

    private static long retryAfter(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("Basic realm=\"tokengate\", charset=\"UTF-8\"");
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .isEqualTo("Missing or invalid credentials: use Basic USER:TOKEN.");
    }

    private static String secret(TokenSpec spec) {
        return gw.createToken(spec).secret().reveal();
    }

    private static AuditEvent audited(HttpResponse<String> response) {
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        return gw.audited(requestId).orElseThrow(() -> new AssertionError("no audit record for " + requestId));
    }

    private static ReceivedRequest lastReceived() {
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).isNotEmpty();
        return received.get(received.size() - 1);
    }
}
