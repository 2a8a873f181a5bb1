package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity.source = jira}: Jira users sign in with their Jira credentials, checked against
 * {@code /rest/api/2/myself}; Jira administrators are admins. Checks are remembered briefly.
 */
class JiraSignInIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home, Map.of("identity.source", "jira", "login.max.failures", "1000"), GatewayFixture.headerUpstream());
        contract = new OpenApiContract();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void jiraAdministratorsAreAdminsAndOthersUsers() {
        Reply admin = AdminClient.basic(gw, contract, "admin", "admin").get("/me");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("role").asText()).isEqualTo("admin");
        assertThat(admin.json().get("source").asText()).isEqualTo("jira");
        AdminClient alice = AdminClient.basic(gw, contract, "alice", "alice");
        assertThat(alice.get("/me").json().get("role").asText()).isEqualTo("user");
        assertThat(alice.post("/tokens", Map.of("name", "jira user's", "user", "alice"))
                        .status())
                .isEqualTo(201);
        assertThat(alice.post("/tokens", Map.of("name", "unbound")).status()).isEqualTo(403);
    }

    @Test
    void wrongJiraCredentialsAreRefused() {
        assertThat(AdminClient.basic(gw, contract, "alice", "bob").get("/me").status())
                .isEqualTo(401);
        assertThat(AdminClient.anonymous(gw, contract)
                        .post("/session", Map.of("user", "nobody", "password", "nobody"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aSessionSignInUsesJiraToo() {
        AdminClient session = AdminClient.anonymous(gw, contract).signIn("admin@example.com", "admin");
        Reply me = session.get("/me");
        assertThat(me.json().get("name").asText())
                .as("the name Jira knows the user by")
                .isEqualTo("admin");
        assertThat(session.post("/tokens", Map.of("name", "from a jira session", "user", "bob"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void successfulChecksAreRememberedBriefly() {
        AdminClient bob = AdminClient.basic(gw, contract, "bob", "bob");
        assertThat(bob.get("/me").status()).isEqualTo(200);
        gw.jira.clearReceived();
        for (int i = 0; i < 3; i++) {
            assertThat(bob.get("/tokens").status()).isEqualTo(200);
        }
        List<ReceivedRequest> asked = gw.jira.received();
        assertThat(asked).as("the password is not checked again").noneMatch(r -> r.headers().stream()
                .anyMatch(h -> h.name().equalsIgnoreCase("Authorization")));
        assertThat(asked)
                .as("who bob is now: asked at most once for the three calls, answers being kept 30 s")
                .filteredOn(r -> r.rawPath().equals("/rest/api/2/myself"))
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void localUsersCannotBeAddedOrEditedWhenJiraDecides() {
        AdminClient admin = AdminClient.basic(gw, contract, "admin", "admin");
        Reply add = admin.post("/users", Map.of("name", "local", "password", "local-password"));
        assertThat(add.status()).isEqualTo(409);
        assertThat(add.json().get("message").asText()).contains("identity.source = jira");
        Reply edit = admin.patch("/users/bob", Map.of("groups", List.of("jira-runas")));
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().get("message").asText()).contains("identity.source = jira");
    }
}
