package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.DemoUser;
import io.tokengate.demo.Identity;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity.source = jira}: a user deleted or deactivated in Jira. Jira refuses their
 * tokens' calls (401), and would take them as whoever is given the name later; the audit record
 * says so with the remedy, token listings flag the tokens from what the gateway learnt, and once
 * Jira has said itself that it deactivated or deleted the user, the gateway refuses the tokens
 * itself. A confined session of such a user ends.
 */
class JiraGoneUserIT {
    private static final String ISSUE = "/rest/api/2/issue/AAA-1";

    private static String create(AdminClient admin, String user) {
        Reply created = admin.post("/tokens", Map.of("name", user + "'s", "user", user));
        assertThat(created.status()).isEqualTo(201);
        return GatewayFixture.basic(user, created.json().get("token").asText());
    }

    private static AuditEvent audited(GatewayFixture gw, HttpResponse<String> response) {
        return gw.audited(response.headers().firstValue("X-Request-Id").orElseThrow())
                .orElseThrow();
    }

    /** The listed token bound to {@code user}, once it carries {@code userGone}: waits up to 5 s for it. */
    private static Optional<JsonNode> flagged(AdminClient admin, String user) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Optional<JsonNode> token = tokenOf(admin, user).filter(t -> t.has("userGone"));
            if (token.isPresent() || System.nanoTime() > deadline) {
                return token;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval
        }
    }

    private static Optional<JsonNode> tokenOf(AdminClient admin, String user) {
        for (JsonNode token : admin.get("/tokens").json().get("tokens")) {
            if (user.equals(token.path("user").asText())) {
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    @Test
    void aTokenOfAUserJiraDeactivatedIsFlaggedThenRefusedByTheGatewayItself(@TempDir Path home) throws Exception {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.serviceAccount("svc-tokengate", "svc-password-1"));
        Map<String, String> settings = Map.of(
                "identity.source", "jira",
                "upstream.identity", "service-account",
                "upstream.service.user", "svc-tokengate",
                "upstream.service.password", "svc-password-1");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            AdminClient admin = AdminClient.basic(gw, new OpenApiContract(), "admin", "admin");
            String bob = create(admin, "bob");
            String alice = create(admin, "alice");
            assertThat(gw.get(ISSUE, bob).statusCode()).isEqualTo(200);

            gw.jira.deactivateUser("bob");

            HttpResponse<String> refusedByJira = gw.get(ISSUE, bob);
            assertThat(refusedByJira.statusCode()).isEqualTo(401);
            assertThat(audited(gw, refusedByJira).reason())
                    .as("the likely cause and the remedy, though the gateway knew bob as a Jira user 1 s ago")
                    .contains("; Jira refused the call as bob (401): Jira deleted or deactivated bob, or refuses"
                            + " the service account")
                    .contains("revoke the tokens bound to them (tokengate user revoke-tokens bob, or POST"
                            + " /api/v1/users/bob/tokens/revoke)")
                    .doesNotContain(bob.substring("Basic ".length()));

            JsonNode listed = flagged(admin, "bob").orElseThrow();
            assertThat(listed.get("userGone").get("why").asText())
                    .isEqualTo("Jira has deactivated bob (/rest/api/2/user shows them inactive)");
            assertThat(listed.get("userGone").get("confirmed").asBoolean()).isTrue();
            assertThat(listed.get("userGone").get("remedy").asText()).contains("tokengate user revoke-tokens bob");
            assertThat(tokenOf(admin, "alice").orElseThrow().has("userGone"))
                    .as("nothing learnt of alice: nothing shown")
                    .isFalse();

            gw.jira.clearReceived();
            HttpResponse<String> refused = gw.get(ISSUE, bob);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(audited(gw, refused).reason())
                    .startsWith("token bound to bob, whom Jira no longer lets act: Jira has deactivated bob")
                    .contains("tokengate user revoke-tokens bob");
            assertThat(gw.jira.received())
                    .as("refused by the gateway, not forwarded")
                    .extracting(ReceivedRequest::rawPath)
                    .doesNotContain(ISSUE);
            assertThat(gw.get(ISSUE, alice).statusCode()).isEqualTo(200);

            Reply another = admin.post("/tokens", Map.of("name", "bob's next", "user", "bob"));
            assertThat(another.status()).isEqualTo(400);
            assertThat(another.json().get("message").asText())
                    .startsWith("user: Jira has deactivated bob (/rest/api/2/user shows them inactive); a token bound"
                            + " to bob would be refused at every call");
        }
    }

    /**
     * In {@code header} mode the gateway has no account to ask Jira about users with: Jira's
     * refusal to act as bob is all it learns, which a misconfigured identity header would cause
     * too. The token is flagged, unconfirmed, but its calls are still forwarded for Jira to refuse:
     * no lock-out on a refusal alone. Once Jira takes a call as bob again, the flag is gone.
     */
    @Test
    void aRefusalAloneIsFlaggedButDoesNotLockOut(@TempDir Path home) throws Exception {
        try (GatewayFixture gw =
                GatewayFixture.start(home, Map.of("identity.source", "jira"), GatewayFixture.headerUpstream())) {
            AdminClient admin = AdminClient.basic(gw, new OpenApiContract(), "admin", "admin");
            String bob = create(admin, "bob");

            gw.jira.removeUser("bob");

            HttpResponse<String> first = gw.get(ISSUE, bob);
            assertThat(first.statusCode()).isEqualTo(401);
            assertThat(audited(gw, first).reason())
                    .contains("; Jira refused the call as bob (401): Jira deleted or deactivated bob, most likely;"
                            + " if bob has left, revoke the tokens bound to them");
            JsonNode gone = flagged(admin, "bob").orElseThrow().get("userGone");
            assertThat(gone.get("why").asText()).startsWith("Jira does not know bob: it refused to answer as them");
            assertThat(gone.get("confirmed").asBoolean()).isFalse();

            gw.jira.clearReceived();
            HttpResponse<String> next = gw.get(ISSUE, bob);
            assertThat(next.statusCode()).isEqualTo(401);
            assertThat(gw.jira.received()).extracting(ReceivedRequest::rawPath).contains(ISSUE);
            assertThat(audited(gw, next).reason())
                    .as("the directory's own words, now that it has them")
                    .contains("; Jira refused the call as bob (401): Jira does not know bob: it refused to answer as"
                            + " them");

            gw.jira.putUser(new DemoUser("bob", "bob", "bob@example.com", "Bob Builder", false));
            HttpResponse<String> taken = gw.get(ISSUE, bob);
            assertThat(taken.statusCode()).isEqualTo(200);
            audited(gw, taken); // the call is done with once audited, which may be just after its answer
            assertThat(tokenOf(admin, "bob").orElseThrow().has("userGone"))
                    .as("a call Jira took as bob: the flag no longer holds")
                    .isFalse();
        }
    }

    /**
     * A confined session ({@code user-credential}: the stored credential refused) whose user Jira,
     * asked by the lookup account, says it deactivated ends, audited as SESSION_ENDED; one whose
     * credential merely expired stays confined.
     */
    @Test
    void aConfinedSessionOfAUserJiraDeactivatedEnds(@TempDir Path home) {
        DemoJira.Options upstream = DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of()));
        Map<String, String> settings = Map.of(
                "identity.source", "jira",
                "upstream.identity", "user-credential",
                "upstream.service.user", "admin",
                "upstream.service.password", "admin");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            for (String user : new String[] {"alice", "bob"}) {
                gw.server.localUsers().add(user, null, null, UserRole.USER, "unused-password-1".toCharArray());
                gw.server.store().upstreamCredentials().set(user, ("pat-expired-" + user).toCharArray());
            }
            OpenApiContract contract = new OpenApiContract();
            AdminClient alice = AdminClient.anonymous(gw, contract).signIn("alice", "alice");
            AdminClient bob = AdminClient.anonymous(gw, contract).signIn("bob", "bob");

            gw.jira.deactivateUser("bob");

            Reply ended = bob.get("/me");
            assertThat(ended.status()).isEqualTo(401);
            String message = ended.json().get("message").asText();
            assertThat(message)
                    .isEqualTo("User bob may no longer sign in (Jira has deactivated bob (/rest/api/2/user shows them"
                            + " inactive)); the session has ended.");
            assertThat(gw.audited(ended.json().get("requestId").asText())).hasValueSatisfying(event -> {
                assertThat(event.kind()).isEqualTo(AuditKind.SESSION_ENDED);
                assertThat(event.reason()).isEqualTo(message);
            });

            Reply confined = alice.get("/me");
            assertThat(confined.status()).isEqualTo(200);
            assertThat(confined.json().get("confinedBecause").asText())
                    .startsWith("Jira refuses the upstream credential stored for alice");
        }
    }
}
