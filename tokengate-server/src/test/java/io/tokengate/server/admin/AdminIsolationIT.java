package io.tokengate.server.admin;

import static io.tokengate.server.admin.AdminApiIT.awaitEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users see and manage only their own tokens and audit records. Another user's token, or an
 * unbound one, answers 404 exactly like a token that does not exist, whatever the operation.
 */
class AdminIsolationIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;
    static AdminClient alice;
    static AdminClient bob;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", "alice@example.com", null, UserRole.USER, "alice-password".toCharArray());
        gw.server.localUsers().add("bob", "bob@example.com", null, UserRole.USER, "bob-password".toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, "root", "root-password");
        alice = AdminClient.basic(gw, contract, "alice", "alice-password");
        bob = AdminClient.basic(gw, contract, "bob", "bob-password");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aUserCannotTouchAnotherUsersTokenAndLearnsNothingAboutIt() throws Exception {
        JsonNode bobs = bob.post("/tokens", Map.of("name", "bob's script", "user", "bob"))
                .json();
        String id = bobs.get("id").asText();
        String secret = bobs.get("token").asText();
        String unknown = "tok_0000000000000000";

        List<String> operations = List.of("GET ", "PATCH ", "DELETE ", "POST /revoke", "POST /rotate", "GET /secret");
        for (String operation : operations) {
            String method = operation.substring(0, operation.indexOf(' '));
            String suffix = operation.substring(operation.indexOf(' ') + 1);
            Object body = method.equals("PATCH") ? Map.of("name", "mine now") : null;
            Reply others = alice.send(method, "/tokens/" + id + suffix, body);
            Reply missing = alice.send(method, "/tokens/" + unknown + suffix, body);
            assertThat(others.status()).as(operation + " on bob's token").isEqualTo(404);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(others.json().get("message").asText())
                    .as("the same answer as for a token that does not exist")
                    .isEqualTo(missing.json().get("message").asText().replace(unknown, id));
            assertThat(others.body()).doesNotContain(secret).doesNotContain("bob's script");
        }
        Reply check = alice.post("/check", Map.of("tokenId", id, "url", "https://gw/rest/api/2/issue/AAA-1"));
        assertThat(check.status()).isEqualTo(404);

        JsonNode unchanged = bob.get("/tokens/" + id).json();
        assertThat(unchanged.get("name").asText()).isEqualTo("bob's script");
        assertThat(unchanged.get("status").asText()).isEqualTo("active");
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("bob", secret))
                        .statusCode())
                .as("bob's secret still works: alice neither rotated nor revoked it")
                .isEqualTo(200);

        List<JsonNode> refused = awaitEvents(admin, "/audit?token=" + id + "&decision=DENY", 5);
        assertThat(refused).allSatisfy(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("alice");
            assertThat(e.get("status").asInt()).isEqualTo(404);
        });
    }

    @Test
    void usersCreateTokensOnlyForThemselves() {
        Reply unbound = alice.post("/tokens", Map.of("name", "any user"));
        assertThat(unbound.status()).isEqualTo(403);
        assertThat(unbound.json().get("field").asText()).isEqualTo("user");
        Reply forBob = alice.post("/tokens", Map.of("name", "for bob", "user", "bob"));
        assertThat(forBob.status()).isEqualTo(403);
        assertThat(forBob.json().get("field").asText()).isEqualTo("user");
        Reply own = alice.post("/tokens", Map.of("name", "mine", "user", "ALICE"));
        assertThat(own.status()).as("user names ignore case").isEqualTo(201);
        assertThat(admin.get("/tokens?user=bob&name=for bob".replace(" ", "%20"))
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
    }

    @Test
    void unboundTokensAreInvisibleToUsers() {
        String id =
                admin.post("/tokens", Map.of("name", "shared")).json().get("id").asText();
        assertThat(alice.get("/tokens/" + id).status()).isEqualTo(404);
        assertThat(alice.post("/tokens/" + id + "/revoke", null).status()).isEqualTo(404);
        assertThat(admin.get("/tokens/" + id).json().get("status").asText()).isEqualTo("active");
    }

    @Test
    void listingsShowOnlyOwnTokens() {
        bob.post("/tokens", Map.of("name", "bob listed", "user", "bob"));
        alice.post("/tokens", Map.of("name", "alice listed", "user", "alice"));
        Reply list = alice.get("/tokens?limit=1000");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("tokens"))
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.get("user").asText()).isEqualToIgnoringCase("alice"));
        Reply others = alice.get("/tokens?user=bob");
        assertThat(others.status()).isEqualTo(403);
        assertThat(others.json().get("field").asText()).isEqualTo("user");
        assertThat(alice.get("/tokens?user=alice").status()).isEqualTo(200);
    }

    @Test
    void usersSeeOnlyTheirOwnAuditRecords() throws Exception {
        String bobSecret = bob.post("/tokens", Map.of("name", "bob audited", "user", "bob"))
                .json()
                .get("token")
                .asText();
        String aliceToken = alice.post("/tokens", Map.of("name", "alice audited", "user", "alice"))
                .json()
                .get("token")
                .asText();
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("bob", bobSecret))
                        .statusCode())
                .isEqualTo(200);
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice@example.com", aliceToken))
                        .statusCode())
                .as("a bound token accepts the user's e-mail")
                .isEqualTo(200);
        awaitEvents(admin, "/audit?user=bob&kind=REQUEST", 1);
        List<JsonNode> mine = awaitEvents(alice, "/audit?limit=1000&kind=REQUEST", 1);
        List<String> aliceTokens = new ArrayList<>();
        alice.get("/tokens?limit=1000")
                .json()
                .get("tokens")
                .forEach(t -> aliceTokens.add(t.get("id").asText()));
        assertThat(mine).allSatisfy(e -> assertThat(List.of(
                        e.path("basicUser").asText().toLowerCase(),
                        e.path("effectiveUser").asText().toLowerCase(),
                        e.path("tokenId").asText()))
                .containsAnyOf(Stream.concat(Stream.of("alice", "alice@example.com"), aliceTokens.stream())
                        .toArray(String[]::new)));
        Reply all = alice.get("/audit?limit=1000");
        assertThat(all.body()).doesNotContain("bob audited").doesNotContain("\"bob\"");
        Reply export = alice.get("/audit/export?format=jsonl");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body()).contains("alice audited").doesNotContain("bob audited");

        Reply others = alice.get("/audit?user=bob");
        assertThat(others.status()).isEqualTo(403);
        assertThat(alice.get("/audit/export?user=bob").status()).isEqualTo(403);
    }

    @Test
    void aUserSeesAttemptsWithTheirTokenUnderAnotherName() throws Exception {
        JsonNode created = alice.post("/tokens", Map.of("name", "alice's leaked", "user", "alice"))
                .json();
        String id = created.get("id").asText();
        String secret = created.get("token").asText();
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("mallory", secret))
                        .statusCode())
                .isEqualTo(401);
        JsonNode attempt =
                awaitEvents(admin, "/audit?token=" + id + "&kind=REQUEST", 1).get(0);
        assertThat(attempt.get("basicUser").asText()).isEqualTo("mallory");
        assertThat(attempt.get("reason").asText()).contains("bound to another user");

        List<JsonNode> mine = awaitEvents(alice, "/audit?limit=1000&kind=REQUEST", 1);
        assertThat(mine)
                .as("alice's view holds the refused attempt with her token")
                .anySatisfy(e -> {
                    assertThat(e.get("tokenId").asText()).isEqualTo(id);
                    assertThat(e.get("basicUser").asText()).isEqualTo("mallory");
                    assertThat(e.get("decision").asText()).isEqualTo("DENY");
                });
        assertThat(alice.get("/audit?kind=REQUEST&token=" + id).json().get("events"))
                .as("filtered to her token")
                .hasSize(1);
        JsonNode paged = alice.get("/audit?kind=REQUEST&limit=1").json();
        List<String> pagedIds = new ArrayList<>();
        while (true) {
            paged.get("events").forEach(e -> pagedIds.add(e.get("requestId").asText()));
            if (paged.get("nextCursor").isNull()) {
                break;
            }
            paged = alice.get("/audit?kind=REQUEST&limit=1&cursor="
                            + paged.get("nextCursor").asText())
                    .json();
        }
        assertThat(pagedIds)
                .as("paged one by one, the same records once each")
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(
                        mine.stream().map(e -> e.get("requestId").asText()).toList());
        assertThat(alice.get("/audit/export?format=jsonl").body()).contains("\"mallory\"");

        assertThat(bob.get("/audit?limit=1000").body()).doesNotContain(id).doesNotContain("mallory");
        assertThat(bob.get("/audit/export?format=csv").body())
                .doesNotContain(id)
                .doesNotContain("mallory");
        assertThat(admin.get("/audit?kind=REQUEST&user=alice&token=" + id)
                        .json()
                        .get("events"))
                .as("an admin's user filter still means the Basic or effective user")
                .isEmpty();
    }

    @Test
    void usersCannotManageUsersOrReadSettings() {
        assertThat(alice.get("/users").status()).isEqualTo(403);
        assertThat(alice.post("/users", Map.of("name", "mallory", "password", "mallory-password"))
                        .status())
                .isEqualTo(403);
        assertThat(alice.delete("/users/bob").status()).isEqualTo(403);
        assertThat(alice.get("/settings").status()).isEqualTo(403);
        Reply me = alice.get("/me");
        assertThat(me.json().get("role").asText()).isEqualTo("user");
        assertThat(me.json().get("csrfToken").isNull())
                .as("Basic needs no CSRF token")
                .isTrue();
        assertThat(admin.get("/users").json().get("users").toString()).contains("\"bob\"");
    }
}
