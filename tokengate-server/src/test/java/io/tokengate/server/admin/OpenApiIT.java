package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document cannot drift from the server: one tour calls every documented operation
 * (successes and the usual errors) on a running server, every answer is validated against the
 * document by {@link AdminClient}, and the tour must have covered every operation; every route
 * the server has is documented.
 */
class OpenApiIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password".toCharArray());
        contract = new OpenApiContract();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyOperationAnswersAsDocumented() {
        AdminClient anonymous = AdminClient.anonymous(gw, contract);
        AdminClient admin = AdminClient.basic(gw, contract, "root", "root-password");
        AdminClient alice = AdminClient.basic(gw, contract, "alice", "alice-password");
        AdminClient session = anonymous.signIn("root", "root-password");

        anonymous.get("/openapi.yaml");
        anonymous.get("/tokens");
        anonymous.post("/session", Map.of("user", "root", "password", "wrong"));
        anonymous.post("/session", Map.of("user", "root"));
        session.get("/me");
        alice.get("/me");

        JsonNode created = session.post(
                        "/tokens",
                        Map.of(
                                "name",
                                "tour",
                                "user",
                                "alice",
                                "limits",
                                ".*/rest/.*",
                                "expiresAt",
                                "2099-01-01T00:00:00Z"))
                .json();
        String id = created.get("id").asText();
        admin.post("/tokens", Map.of("name", "unbound tour"));
        admin.post("/tokens", Map.of("name", "bad", "limits", "[QueryParam::"));
        alice.post("/tokens", Map.of("name", "unbound by a user"));
        admin.get("/tokens");
        admin.get("/tokens?status=active&limit=1");
        admin.get("/tokens?status=bogus");
        alice.get("/tokens?user=root");
        admin.get("/tokens/" + id);
        admin.get("/tokens/tok_0000000000000000");
        admin.patch("/tokens/" + id, Map.of("name", "tour, renamed", "allowedIps", List.of("127.0.0.1")));
        admin.patch("/tokens/" + id, Map.of("allowedIps", "300.1.1.1"));
        admin.get("/tokens/" + id + "/secret");
        admin.get("/tokens/" + id + "/snippets?method=POST&path=/rest/api/2/issue/ISSUE-1/comment&body=%7B%7D");
        admin.get("/tokens/" + id + "/snippets?body=%7B%7D");
        admin.post("/tokens/" + id + "/rotate", null);
        admin.post("/tokens/" + id + "/revoke", null);
        admin.post("/tokens/" + id + "/rotate", null);
        admin.delete("/tokens/" + id);
        admin.delete("/tokens/" + id);
        admin.post("/tokens/" + id + "/revoke", null);
        admin.get("/tokens/" + id + "/secret");

        admin.post("/check", Map.of("limits", ".*/rest/.*", "url", "https://gw/rest/api/2/issue/A-1"));
        admin.post("/check", Map.of("limits", "[get] .*", "method", "POST", "url", "https://gw/rest/x"));
        admin.post("/check", Map.of("limits", "", "url", "https://gw/rest/a/../b"));
        admin.post("/check", Map.of("limits", "[JsonData::", "url", "https://gw/rest/x"));
        admin.post("/check", Map.of("tokenId", "tok_0000000000000000", "url", "https://gw/rest/x"));

        admin.get("/audit?limit=2");
        admin.get("/audit?decision=maybe");
        alice.get("/audit?user=root");
        admin.get("/audit/export");
        admin.get("/audit/export?format=jsonl&kind=TOKEN_CREATE");
        admin.get("/audit/export?format=pdf");
        alice.get("/audit/export?user=root");

        admin.get("/settings");
        alice.get("/settings");
        admin.get("/settings?verbose=true");
        admin.post("/backups", Map.of());
        admin.post("/backups?keep=1", Map.of());
        admin.post("/backups?keep=0", Map.of());
        alice.post("/backups", Map.of());
        admin.get("/throttles");
        admin.get("/throttles?plane=admin&address=127.0.0.1");
        admin.get("/throttles?plane=both");
        alice.get("/throttles");
        admin.delete("/throttles/192.0.2.1");
        admin.delete("/throttles/%5B2001:db8::1%5D?plane=data");
        admin.delete("/throttles/gateway.example.com");
        alice.delete("/throttles/192.0.2.1");

        admin.get("/users");
        alice.get("/users");
        admin.post("/users", Map.of("name", "tourist", "password", "tourist-password", "role", "user"));
        admin.post("/users", Map.of("name", "tourist", "password", "tourist-password"));
        admin.post("/users", Map.of("name", "x", "password", "short"));
        alice.post("/users", Map.of("name", "y", "password", "long enough"));
        alice.send("PUT", "/me/upstream-credential", Map.of("credential", "pat-alice-0123456789"));
        alice.send("PUT", "/me/upstream-credential", Map.of("credential", "has a space"));
        alice.delete("/me/upstream-credential");
        admin.patch("/users/tourist", Map.of("groups", List.of("ci", "jira-runas"), "role", "admin"));
        admin.patch("/users/tourist", Map.of("groups", "bad\u0007group"));
        admin.patch("/users/nobody-here", Map.of("role", "user"));
        admin.patch("/users/root", Map.of("role", "user"));
        alice.patch("/users/tourist", Map.of("role", "user"));
        admin.send("PUT", "/users/tourist/upstream-credential", Map.of("credential", "pat-tourist-01234"));
        alice.send("PUT", "/users/tourist/upstream-credential", Map.of("credential", "pat-tourist-01234"));
        admin.send("PUT", "/users/nobody-here/upstream-credential", Map.of("credential", "pat-x-0123456789"));
        admin.delete("/users/tourist/upstream-credential");
        admin.send("PUT", "/users/tourist/password", Map.of("password", "tourist-password-2"));
        admin.send("PUT", "/users/tourist/password", Map.of("password", "short"));
        admin.send("PUT", "/users/nobody-here/password", Map.of("password", "long enough"));
        alice.send("PUT", "/users/tourist/password", Map.of("password", "long enough"));
        alice.send("PUT", "/me/password", Map.of("currentPassword", "wrong password", "password", "long enough"));
        alice.send("PUT", "/me/password", Map.of("currentPassword", "alice-password", "password", "alice-password"));
        admin.post("/tokens", Map.of("name", "tourist's first", "user", "tourist"));
        admin.post("/users/tourist/tokens/revoke", null);
        admin.post("/users/tourist/tokens/revoke?all=yes", null);
        alice.post("/users/tourist/tokens/revoke", null);
        admin.post("/tokens", Map.of("name", "tourist's second", "user", "tourist"));
        admin.delete("/users/tourist?revokeTokens=maybe");
        admin.delete("/users/tourist");
        admin.delete("/users/tourist");
        admin.delete("/users/root");
        alice.delete("/users/root");

        session.without(Sessions.CSRF_HEADER).delete("/session");
        session.delete("/session");
        session.delete("/session");

        Set<String> missing = new TreeSet<>(contract.operations());
        missing.removeAll(contract.seen());
        assertThat(missing).as("documented operations the tour did not call").isEmpty();
    }

    @Test
    void everyRouteIsDocumentedAndTheServedDocumentIsTheResource() throws Exception {
        TokengateConfig config = ConfigLoader.load(
                home, Map.of(), Map.of("upstream.url", gw.jira.baseUri().toString()), true);
        Router router =
                AdminHandler.router(config, gw.server.store(), gw.server.localUsers(), () -> {}, Clock.systemUTC());
        List<String> undocumented = new ArrayList<>();
        for (Router.Route route : router.routes()) {
            String template = route.path().getDeclaration().substring("/api/v1".length());
            String key = route.method() + " " + template;
            if (!contract.operations().contains(key)) {
                undocumented.add(key);
            }
        }
        assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
        assertThat(router.routes()).hasSameSizeAs(contract.operations());

        Reply served = AdminClient.anonymous(gw, contract).get("/openapi.yaml");
        JsonNode parsed = new ObjectMapper(new YAMLFactory()).readTree(served.body());
        assertThat(parsed).isEqualTo(contract.document());
        assertThat(parsed.get("openapi").asText()).isEqualTo("3.1.0");
    }
}
