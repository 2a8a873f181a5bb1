package io.tokengate.server.admin;

import static io.tokengate.server.admin.AdminApiIT.awaitEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN §2 on the admin plane: in secure mode a secret is shown once, nothing is edited, revoking works. */
class SecureModeAdminIT {
    private static final String VIEWING = "Viewing the secret of token ";
    private static final String SNIPPETS = "Making code snippets for token ";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;
    static AdminClient alice;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of("token.secure.mode", "true", "login.max.failures", "1000"),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password".toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, "root", "root-password");
        alice = AdminClient.basic(gw, contract, "alice", "alice-password");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theSecretIsShownOnceAtCreationAndNeverAgain() throws Exception {
        Reply created = alice.post("/tokens", Map.of("name", "once", "user", "alice"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice", secret))
                        .statusCode())
                .isEqualTo(200);

        for (AdminClient caller : new AdminClient[] {alice, admin}) {
            Reply reveal = caller.get("/tokens/" + id + "/secret");
            assertThat(reveal.status()).isEqualTo(409);
            assertThat(reveal.json().get("message").asText())
                    .startsWith(VIEWING + id + " is not possible in secure mode (token.secure.mode,")
                    .endsWith("Rotate the token for a new secret, shown once (the old one stops working at once).");
            assertThat(reveal.body()).doesNotContain(secret);
            Reply snippets = caller.get("/tokens/" + id + "/snippets");
            assertThat(snippets.status()).isEqualTo(409);
            assertThat(snippets.json().get("message").asText())
                    .as("the refusal names what was asked for, and what to do instead")
                    .startsWith(SNIPPETS + id + " is not possible in secure mode (token.secure.mode,")
                    .contains("snippets hold the token's secret, which is shown only once, at creation or rotation")
                    .endsWith("Write the call with the secret saved then, or rotate the token for a new secret,"
                            + " shown once (the old one stops working at once).")
                    .doesNotContain(VIEWING);
            assertThat(snippets.body()).doesNotContain(secret);
        }
        assertThat(admin.get("/tokens/" + id).body()).doesNotContain(secret);
        assertThat(admin.get("/tokens?limit=1000").body()).doesNotContain(secret);
        java.util.List<JsonNode> refused = awaitEvents(admin, "/audit?token=" + id + "&kind=TOKEN_REVEAL", 4);
        assertThat(refused).allSatisfy(e -> {
            assertThat(e.get("decision").asText()).isEqualTo("DENY");
            assertThat(e.get("status").asInt()).isEqualTo(409);
        });
        assertThat(refused)
                .as("the audit says which was refused")
                .extracting(e -> e.get("reason")
                        .asText()
                        .substring(0, e.get("reason").asText().indexOf(" tok_")))
                .containsExactly(SNIPPETS.strip(), VIEWING.strip(), SNIPPETS.strip(), VIEWING.strip());
    }

    @Test
    void nothingCanBeEditedButRevokingWorks() throws Exception {
        JsonNode created = admin.post(
                        "/tokens", Map.of("name", "frozen", "user", "alice", "limits", ".*/rest/api/2/issue/AAA.*"))
                .json();
        String id = created.get("id").asText();
        String secret = created.get("token").asText();
        for (Map<String, Object> edit : java.util.List.<Map<String, Object>>of(
                Map.of("name", "renamed"),
                Map.of("limits", ""),
                Map.of("daysUntilExpiry", 1),
                Map.of("allowedIps", "10.0.0.0/8"),
                Map.of())) {
            Reply reply = admin.patch("/tokens/" + id, edit);
            assertThat(reply.status()).as(edit.toString()).isEqualTo(409);
            assertThat(reply.json().get("message").asText())
                    .startsWith("Editing token " + id + " is not possible in secure mode (token.secure.mode,")
                    .endsWith("Revoke it and create a new one with other settings.");
        }
        JsonNode unchanged = admin.get("/tokens/" + id).json();
        assertThat(unchanged.get("name").asText()).isEqualTo("frozen");
        assertThat(unchanged.get("limits").asText()).isEqualTo(".*/rest/api/2/issue/AAA.*");

        Reply revoked = alice.post("/tokens/" + id + "/revoke", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice", secret))
                        .statusCode())
                .isEqualTo(401);
    }

    /**
     * A node started with {@code token.secure.mode=false} on a database in secure mode follows the
     * database, and its settings view says why its own {@code false} is not in force.
     */
    @Test
    void aNodeSetToStandardModeSaysTheDatabasesSecureModeIsInForce(@TempDir Path other) {
        GatewayFixture.start(other, Map.of("token.secure.mode", "true"), GatewayFixture.headerUpstream())
                .close();
        try (GatewayFixture standard =
                GatewayFixture.start(other, Map.of("token.secure.mode", "false"), GatewayFixture.headerUpstream())) {
            standard.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            JsonNode settings = AdminClient.basic(standard, contract, "root", "root-password")
                    .get("/settings")
                    .json();
            assertThat(settings.get("secureMode").asBoolean()).isTrue();
            JsonNode row = StreamSupport.stream(settings.get("settings").spliterator(), false)
                    .filter(s -> s.get("key").asText().equals("token.secure.mode"))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.get("value").asText()).isEqualTo("false");
            assertThat(row.get("description").asText())
                    .contains("not in force: secure mode belongs to the database, which has it on");
        }
    }

    @Test
    void theModeIsShownToEveryone() {
        assertThat(alice.get("/me").json().get("secureMode").asBoolean()).isTrue();
        assertThat(admin.get("/settings").json().get("secureMode").asBoolean()).isTrue();
    }
}
