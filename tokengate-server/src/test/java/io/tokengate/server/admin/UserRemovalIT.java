package io.tokengate.server.admin;

import static io.tokengate.server.admin.AdminApiIT.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A removed user's tokens go on working until revoked: removing a user says how many stay active
 * and how to revoke them, or, with {@code revokeTokens=true}, revokes them in the same call, each
 * audited like a revoke of its own.
 */
class UserRemovalIT {
    static final String ADMIN = "root";
    static final String ADMIN_PASSWORD = "root-password-1";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add(ADMIN, null, null, UserRole.ADMIN, ADMIN_PASSWORD.toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, ADMIN, ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void removingAUserSaysHowManyOfTheirTokensStayActiveAndHowToRevokeThem() throws Exception {
        addUser("ivy", "ivy@example.com");
        JsonNode first = token("ivy's first", "ivy");
        token("ivy's second", "ivy");
        JsonNode byEmail = token("ivy's by e-mail", "ivy@example.com");
        String revoked = token("ivy's revoked", "ivy").get("id").asText();
        admin.post("/tokens/" + revoked + "/revoke", null);
        String others = token("someone else's", "ivan").get("id").asText();

        Reply removed = admin.delete("/users/ivy");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        JsonNode json = removed.json();
        assertThat(json.get("revokedTokens").asInt()).isZero();
        assertThat(json.get("activeTokens").asInt()).isEqualTo(3);
        assertThat(json.get("activeTokensBoundTo"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("ivy", "ivy@example.com");
        assertThat(json.get("message").asText())
                .startsWith("Removed ivy and ended their sessions; 3 active tokens bound to them stay active:"
                        + " revoke them with POST /api/v1/users/");
        assertThat(json.get("message").asText())
                .contains("POST /api/v1/users/ivy/tokens/revoke", "POST /api/v1/users/ivy%40example.com/tokens/revoke");
        String firstAuth = GatewayFixture.basic("ivy", first.get("token").asText());
        assertThat(gw.get("/rest/api/2/issue/AAA-1", firstAuth).statusCode())
                .as("what the answer warns of: the token still works")
                .isNotEqualTo(401);

        Reply byName = admin.post("/users/ivy/tokens/revoke", null);
        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.json().get("revoked").asInt()).isEqualTo(2);
        assertThat(byName.json().get("tokens"))
                .extracting(t -> t.get("status").asText())
                .containsOnly("revoked");
        assertThat(gw.get("/rest/api/2/issue/AAA-1", firstAuth).statusCode()).isEqualTo(401);
        assertThat(admin.post("/users/ivy%40example.com/tokens/revoke", null)
                        .json()
                        .get("tokens"))
                .extracting(t -> t.get("id").asText())
                .containsExactly(byEmail.get("id").asText());
        assertThat(admin.post("/users/ivy/tokens/revoke", null)
                        .json()
                        .get("revoked")
                        .asInt())
                .as("nothing left")
                .isZero();
        assertThat(status(others)).isEqualTo("active");

        assertThat(events(AuditKind.TOKEN_REVOKE, "ivy"))
                .extracting(e -> e.decision() + " " + e.actor() + " " + e.reason())
                .containsExactlyInAnyOrder(
                        "ALLOW root revoked with every active token bound to ivy (by root)",
                        "ALLOW root revoked with every active token bound to ivy (by root)",
                        "ALLOW root revoked");
        assertThat(events(AuditKind.USER_REMOVE, "ivy"))
                .extracting(AuditEvent::reason)
                .containsExactly("removed ivy and ended their sessions; 3 active tokens bound to them stay active");
    }

    @Test
    void removingAUserWithRevokeTokensRevokesEveryActiveTokenBoundToThem() throws Exception {
        addUser("jack", "jack@example.com");
        AdminClient jack = AdminClient.basic(gw, contract, "jack", "jack-password-1");
        assertThat(jack.get("/me").status()).isEqualTo(200);
        List<JsonNode> his = List.of(
                token("jack's first", "jack"),
                token("jack's second", "JACK"),
                token("jack's mail", "jack@example.com"));
        String others = token("someone else's", "jackie").get("id").asText();

        Reply removed = admin.delete("/users/jack?revokeTokens=true");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("revokedTokens").asInt()).isEqualTo(3);
        assertThat(removed.json().get("activeTokens").asInt()).isZero();
        assertThat(removed.json().get("activeTokensBoundTo")).isEmpty();
        assertThat(removed.json().get("message").asText())
                .isEqualTo("Removed jack and ended their sessions; revoked the 3 active tokens bound to them");

        assertThat(jack.get("/me").status()).as("signed out").isEqualTo(401);
        for (JsonNode token : his) {
            assertThat(status(token.get("id").asText())).isEqualTo("revoked");
            assertThat(gw.get(
                                    "/rest/api/2/issue/AAA-1",
                                    GatewayFixture.basic(
                                            "jack", token.get("token").asText()))
                            .statusCode())
                    .isEqualTo(401);
        }
        assertThat(status(others)).isEqualTo("active");
        assertThat(events(AuditKind.TOKEN_REVOKE, null))
                .filteredOn(e -> e.reason().contains("jack"))
                .extracting(e -> e.tokenId().value() + " " + e.decision() + " " + e.actor() + " " + e.reason())
                .containsExactlyInAnyOrderElementsOf(his.stream()
                        .map(t -> t.get("id").asText() + " ALLOW root revoked with user jack, removed")
                        .toList());
        assertThat(events(AuditKind.USER_REMOVE, "jack"))
                .extracting(e -> e.decision() + " " + e.reason())
                .containsExactly(
                        "ALLOW removed jack and ended their sessions; revoking the 3 active tokens bound to them");
    }

    @Test
    void aMisspeltRevokeTokensRemovesNobody() throws Exception {
        addUser("kim", null);
        token("kim's", "kim");
        assertField(admin.delete("/users/kim?revokeTokens=yes"), "revokeTokens", "'yes' is not true or false");
        assertField(admin.delete("/users/kim?revokeToken=true"), "revokeToken", "unknown query parameter");
        assertThat(admin.get("/users").body()).contains("\"kim\"");
        assertThat(admin.delete("/users/kim?revokeTokens=false")
                        .json()
                        .get("activeTokens")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void aUserRevokesTheirOwnTokensAtOnceButNobodyElses() throws Exception {
        addUser("lena", null);
        AdminClient lena = AdminClient.basic(gw, contract, "lena", "lena-password-1");
        String own = token("lena's", "lena").get("id").asText();
        String others = token("root's", ADMIN).get("id").asText();

        Reply refused = lena.post("/users/" + ADMIN + "/tokens/revoke", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(status(others)).isEqualTo("active");
        assertThat(lena.post("/users/lena/tokens/revoke", null)
                        .json()
                        .get("revoked")
                        .asInt())
                .isEqualTo(1);
        assertThat(status(own)).isEqualTo("revoked");
    }

    private static void addUser(String name, String email) {
        gw.server.localUsers().add(name, email, null, UserRole.USER, (name + "-password-1").toCharArray());
    }

    private static JsonNode token(String name, String user) {
        Reply created = admin.post("/tokens", Map.of("name", name, "user", user));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static String status(String id) {
        return admin.get("/tokens/" + id).json().get("status").asText();
    }

    /** The records of {@code kind} that concern {@code user} (any, when null), newest first. */
    private static List<AuditEvent> events(AuditKind kind, String user) {
        return gw.auditEvents().stream()
                .filter(e -> e.kind() == kind && (user == null || user.equals(e.effectiveUser())))
                .toList();
    }
}
