package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity.source = jira}: a token is bound only to a user Jira knows (400 naming the user
 * otherwise, 503 while Jira cannot be asked), and passwords are Jira's, which a plain user is told
 * as an admin is.
 */
class JiraTokenBindingIT {
    private static final Map<String, String> JIRA_MODE = Map.of("identity.source", "jira");

    @Test
    void aTokenIsBoundOnlyToAUserJiraKnows(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient admin = AdminClient.basic(gw, new OpenApiContract(), "admin", "admin");
            gw.jira.removeUser("bob");

            Reply refused = admin.post("/tokens", Map.of("name", "for bob", "user", "bob"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("user");
            assertThat(refused.json().get("message").asText())
                    .startsWith("user: Jira does not know bob: it refused to answer as them (401 to"
                            + " /rest/api/2/myself")
                    .contains("a token bound to bob would be refused at every call");
            assertThat(gw.audited(refused.json().get("requestId").asText())).hasValueSatisfying(event -> {
                assertThat(event.kind()).isEqualTo(AuditKind.TOKEN_CREATE);
                assertThat(event.decision()).isEqualTo(AuditDecision.DENY);
            });
            assertThat(admin.get("/tokens?user=bob").json().get("tokens")).isEmpty();

            assertThat(admin.post("/tokens", Map.of("name", "for alice", "user", "alice"))
                            .status())
                    .isEqualTo(201);
            assertThat(admin.post("/tokens", Map.of("name", "unbound")).status())
                    .as("an unbound token names nobody")
                    .isEqualTo(201);
        }
    }

    @Test
    void whileJiraCannotBeAskedNoTokenIsBound(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient admin = AdminClient.anonymous(gw, new OpenApiContract()).signIn("admin", "admin");
            assertThat(admin.get("/me").status()).isEqualTo(200); // the session's answer, kept 30 s
            gw.jira.close();

            Reply refused = admin.post("/tokens", Map.of("name", "for alice", "user", "alice"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(refused.json().get("message").asText())
                    .startsWith("Cannot ask Jira whether it knows alice (cannot reach Jira at");
        }
    }

    /** A service account Jira refuses leaves Jira unable to say who it knows: nothing is bound meanwhile. */
    @Test
    void whileJiraRefusesTheServiceAccountNoTokenIsBound(@TempDir Path home) {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.serviceAccount("svc-tokengate", "right-password-1"));
        Map<String, String> settings = Map.of(
                "identity.source", "jira",
                "upstream.identity", "service-account",
                "upstream.service.user", "svc-tokengate",
                "upstream.service.password", "wrong-password-1");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            AdminClient admin = AdminClient.basic(gw, new OpenApiContract(), "admin", "admin");

            Reply refused = admin.post("/tokens", Map.of("name", "for alice", "user", "alice"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(refused.json().get("message").asText())
                    .startsWith("Cannot ask Jira whether it knows alice (upstream.identity: Jira refuses the service"
                            + " account (401 to /rest/api/2/myself)")
                    .doesNotContain("wrong-password-1");
        }
    }

    @Test
    void aPlainUserSettingAPasswordIsToldJiraKeepsThem(@TempDir Path home) {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            AdminClient bob = AdminClient.basic(gw, new OpenApiContract(), "bob", "bob");

            Reply refused = bob.send("PUT", "/users/bob/password", Map.of("password", "new-password-1"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("message").asText())
                    .startsWith("Users come from Jira (identity.source = jira): passwords are Jira's");
        }
    }
}
