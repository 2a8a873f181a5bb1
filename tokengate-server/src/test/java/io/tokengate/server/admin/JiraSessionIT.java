package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.DemoUser;
import io.tokengate.demo.Identity;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code identity.source = jira}: a web UI session follows what Jira says of its user after
 * sign-in, asked as the data plane asks it (as the user, through {@code upstream.identity}), not
 * the role of the sign-in for up to {@code admin.session.max.hours}.
 */
class JiraSessionIT {
    private static final Map<String, String> JIRA_MODE = Map.of("identity.source", "jira");

    @Test
    void anAdministratorJiraNoLongerMakesOneGoesOnAsAUser(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient session =
                    AdminClient.anonymous(gw, new OpenApiContract()).signIn("admin", "admin");

            gw.jira.putUser(new DemoUser("admin", "admin", "admin@example.com", "Administrator", false));

            Reply me = session.get("/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("role").asText()).isEqualTo("user");
            assertThat(session.post("/tokens", Map.of("name", "unbound")).status())
                    .as("unbound tokens are for admins")
                    .isEqualTo(403);
            assertThat(session.post("/tokens", Map.of("name", "own", "user", "admin"))
                            .status())
                    .isEqualTo(201);
        }
    }

    /**
     * A script signing in with Basic has its password check remembered for {@code
     * admin.credential.cache.seconds} (60), but who it is follows Jira's answers (30 s), as a
     * session does: a Jira administrator Jira no longer makes one is not an admin here for the rest
     * of that minute.
     */
    @Test
    void aScriptSigningInWithBasicFollowsJiraAsASessionDoes(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient script = AdminClient.basic(gw, new OpenApiContract(), "admin", "admin");
            assertThat(script.get("/me").json().get("role").asText()).isEqualTo("admin");

            gw.jira.putUser(new DemoUser("admin", "admin", "admin@example.com", "Administrator", false));

            Reply me = script.get("/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("role").asText()).isEqualTo("user");
            assertThat(script.post("/tokens", Map.of("name", "unbound")).status())
                    .as("unbound tokens are for admins")
                    .isEqualTo(403);
        }
    }

    @Test
    void aSessionRequestFailsWhileJiraCannotBeAsked(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient session =
                    AdminClient.anonymous(gw, new OpenApiContract()).signIn("admin", "admin");
            gw.jira.close();

            Reply refused = session.get("/tokens");
            assertThat(refused.status())
                    .as("not served with a role Jira may have taken back")
                    .isEqualTo(503);
            assertThat(refused.json().get("message").asText()).contains("Jira");
        }
    }

    /** A sign-in Jira cannot check is refused (503) and audited as one, though not counted as a failure. */
    @Test
    void aSignInJiraCannotCheckIsRefusedAndAudited(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            gw.jira.close();

            Reply session = AdminClient.anonymous(gw, new OpenApiContract())
                    .post("/session", Map.of("user", "alice", "password", "alice"));
            Reply script =
                    AdminClient.basic(gw, new OpenApiContract(), "bob", "bob").get("/me");

            for (Reply refused : new Reply[] {session, script}) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(gw.audited(refused.json().get("requestId").asText())).hasValueSatisfying(event -> {
                    assertThat(event.kind()).isEqualTo(AuditKind.LOGIN_FAILED);
                    assertThat(event.status()).isEqualTo(503);
                    assertThat(event.reason()).contains("Jira");
                });
            }
        }
    }

    /**
     * In {@code user-credential} mode Jira is asked with the user's stored credential. One Jira no
     * longer accepts (an expired personal access token) cannot tell tokengate what the user may do,
     * but must not lock them out of the page where they replace it: the session is confined to the
     * account page, as a plain user, until they store one Jira takes. Without a credential Jira
     * cannot be asked, and the session keeps the role of its sign-in.
     */
    @Test
    void aUserWhoseStoredCredentialJiraRefusesMayOnlyReplaceIt(@TempDir Path home) {
        DemoJira.Options upstream = DemoJira.Options.defaults()
                .identity(Identity.userCredentials(Map.of("pat-bob", "bob", "pat-admin", "admin")));
        Map<String, String> settings = Map.of("identity.source", "jira", "upstream.identity", "user-credential");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            gw.server.localUsers().add("bob", null, null, UserRole.USER, "unused-password-1".toCharArray());
            gw.server.store().upstreamCredentials().set("bob", "pat-expired".toCharArray());
            gw.server.localUsers().add("admin", null, null, UserRole.USER, "unused-password-1".toCharArray());
            OpenApiContract contract = new OpenApiContract();
            AdminClient bob = AdminClient.anonymous(gw, contract).signIn("bob", "bob");
            AdminClient admin = AdminClient.anonymous(gw, contract).signIn("admin", "admin");

            Reply me = bob.get("/me");
            assertThat(me.status()).as("still signed in, to mend it").isEqualTo(200);
            assertThat(me.json().get("role").asText()).isEqualTo("user");
            assertThat(me.json().get("confinedBecause").asText())
                    .startsWith("Jira refuses the upstream credential stored for bob (401 to /rest/api/2/myself)")
                    .contains("Store a current one on your account page");
            Reply tokens = bob.get("/tokens");
            assertThat(tokens.status()).as("nothing but the account page").isEqualTo(403);
            assertThat(tokens.json().get("message").asText()).startsWith("Jira refuses the upstream credential");
            assertThat(bob.post("/tokens", Map.of("name", "own", "user", "bob")).status())
                    .isEqualTo(403);

            assertThat(bob.send("PUT", "/me/upstream-credential", Map.of("credential", "pat-bob"))
                            .status())
                    .isEqualTo(204);
            Reply mended = bob.get("/me");
            assertThat(mended.json().has("confinedBecause")).isFalse();
            assertThat(bob.get("/tokens").status()).isEqualTo(200);

            Reply kept = admin.get("/me");
            assertThat(kept.status())
                    .as("no credential stored: Jira cannot be asked as admin")
                    .isEqualTo(200);
            assertThat(kept.json().get("role").asText()).isEqualTo("admin");
        }
    }

    /**
     * A Jira administrator whose stored credential Jira refuses gains nothing from the sign-in's
     * answer: the confined session is a plain user's, whatever Jira said at sign-in.
     */
    @Test
    void anAdministratorWhoseStoredCredentialJiraRefusesIsNoAdminHere(@TempDir Path home) {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of("pat-admin", "admin")));
        Map<String, String> settings = Map.of("identity.source", "jira", "upstream.identity", "user-credential");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            gw.server.localUsers().add("admin", null, null, UserRole.USER, "unused-password-1".toCharArray());
            gw.server.store().upstreamCredentials().set("admin", "pat-revoked".toCharArray());
            AdminClient admin = AdminClient.anonymous(gw, new OpenApiContract()).signIn("admin", "admin");

            Reply me = admin.get("/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("role").asText()).isEqualTo("user");
            assertThat(admin.get("/users").status()).isEqualTo(403);
            assertThat(admin.get("/settings").status()).isEqualTo(403);
            assertThat(admin.send("PUT", "/users/bob/upstream-credential", Map.of("credential", "pat-admin"))
                            .status())
                    .isEqualTo(403);
        }
    }

    /**
     * A session Jira ends is audited as SESSION_ENDED, with the reason its user is told. Here Jira,
     * asked with alice's stored credential, answers for somebody else (admin's token, pasted by
     * mistake): alice counts as unknown to Jira.
     */
    @Test
    void aSessionJiraEndsIsAuditedWithItsReason(@TempDir Path home) {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of("pat-admin", "admin")));
        Map<String, String> settings = Map.of("identity.source", "jira", "upstream.identity", "user-credential");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            gw.server.localUsers().add("alice", null, null, UserRole.USER, "unused-password-1".toCharArray());
            gw.server.store().upstreamCredentials().set("alice", "pat-admin".toCharArray());
            AdminClient alice = AdminClient.anonymous(gw, new OpenApiContract()).signIn("alice", "alice");

            Reply ended = alice.get("/me");
            assertThat(ended.status()).isEqualTo(401);
            String message = ended.json().get("message").asText();
            assertThat(message)
                    .isEqualTo("User alice may no longer sign in (Jira does not know alice: asked as them, it answered"
                            + " for 'admin' instead); the session has ended.");
            assertThat(gw.audited(ended.json().get("requestId").asText())).hasValueSatisfying(event -> {
                assertThat(event.kind()).isEqualTo(AuditKind.SESSION_ENDED);
                assertThat(event.actor()).isEqualTo("alice");
                assertThat(event.status()).isEqualTo(401);
                assertThat(event.reason()).isEqualTo(message);
            });
            assertThat(alice.get("/me").status()).as("for good").isEqualTo(401);
        }
    }

    /**
     * A service account Jira refuses makes every Jira user unknown: sign-in with a Jira password
     * still works, but the session ends at its first request. The log says why, once.
     */
    @Test
    void aServiceAccountJiraRefusesEndsSessionsAndIsLoggedOnce(@TempDir Path home) {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.serviceAccount("svc-tokengate", "right-password-1"));
        Map<String, String> settings = Map.of(
                "identity.source", "jira",
                "upstream.identity", "service-account",
                "upstream.service.user", "svc-tokengate",
                "upstream.service.password", "wrong-password-1");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger directoryLog = (Logger) LoggerFactory.getLogger(JiraUserDirectory.class);
        directoryLog.addAppender(log);
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            // Left from a time in user-credential mode: this mode never sends it, so it is not
            // what Jira refuses.
            gw.server.localUsers().add("bob", null, null, UserRole.USER, "unused-password-1".toCharArray());
            assertThat(gw.server.store().upstreamCredentials().set("bob", "pat-of-another-mode".toCharArray()))
                    .isTrue();
            OpenApiContract contract = new OpenApiContract();
            AdminClient admin = AdminClient.anonymous(gw, contract).signIn("admin", "admin");
            AdminClient bob = AdminClient.anonymous(gw, contract).signIn("bob", "bob");

            Reply ended = bob.get("/me");
            assertThat(ended.status()).isEqualTo(401);
            assertThat(ended.json().get("message").asText())
                    .as("the cause is the service account, not bob")
                    .startsWith("Jira cannot be asked whether bob may still sign in. upstream.identity: Jira refuses"
                            + " the service account (401 to /rest/api/2/myself)")
                    .doesNotContain("may no longer sign in");
            assertThat(gw.audited(ended.json().get("requestId").asText()))
                    .hasValueSatisfying(event -> assertThat(event.kind()).isEqualTo(AuditKind.SESSION_ENDED));
            assertThat(admin.get("/me").status()).isEqualTo(401);

            assertThat(log.list)
                    .as("one warning for both users within the minute")
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .singleElement()
                    .asString()
                    .startsWith("upstream.identity: Jira refuses the service account (401 to /rest/api/2/myself)")
                    .contains("no Jira user is known here")
                    .doesNotContain("wrong-password-1");
        } finally {
            directoryLog.detachAppender(log);
        }
    }
}
