package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snippets over the admin API: the curl snippet it returns runs as is against the gateway. */
class SnippetApiIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static AdminClient admin;
    static AdminClient bob;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());
        gw.server.localUsers().add("bob", null, null, UserRole.USER, "bob-password-1".toCharArray());
        OpenApiContract contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, "root", "root-password-1");
        bob = AdminClient.basic(gw, contract, "bob", "bob-password-1");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theCurlSnippetPostsACommentAsTheTokensUser() throws Exception {
        String id = admin.post(
                        "/tokens",
                        Map.of(
                                "name",
                                "comments",
                                "user",
                                "alice",
                                "limits",
                                "[post].*/rest/api/2/issue/ISSUE-1/comment"))
                .json()
                .get("id")
                .asText();
        String body = URLEncoder.encode("{\"body\":\"from a snippet\"}", StandardCharsets.UTF_8);
        Reply reply = admin.get(
                "/tokens/" + id + "/snippets?method=POST&path=/rest/api/2/issue/ISSUE-1/comment&body=" + body);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.at("/request/user").asText()).isEqualTo("alice");
        assertThat(json.get("snippets").fieldNames())
                .toIterable()
                .contains("curl", "javascript", "python", "powershell", "java", "postman");
        assertThat(json.at("/snippets/javascript").asText()).contains("btoa(").doesNotContain("atob(");

        Process curl =
                new ProcessBuilder("bash", "-c", json.at("/snippets/curl").asText()).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).isZero();
        assertThat(AdminClient.JSON.readTree(out).at("/author/name").asText()).isEqualTo("alice");
    }

    @Test
    void snippetsAreAuditedAsARevealAndHiddenFromOtherUsers() {
        String id = admin.post("/tokens", Map.of("name", "root's", "user", "root"))
                .json()
                .get("id")
                .asText();
        assertThat(bob.get("/tokens/" + id + "/snippets").status()).isEqualTo(404);
        assertThat(admin.get("/tokens/" + id + "/snippets?method=GET&body=x").status())
                .isEqualTo(400);
        assertThat(admin.get("/tokens/" + id + "/snippets").status()).isEqualTo(200);
        AdminApiIT.assertField(
                admin.get("/tokens/" + id + "/snippets?path=rest/api/2/myself"),
                "path",
                "'rest/api/2/myself' must start with '/'");
        assertThat(admin.get("/tokens/" + id + "/snippets?path=rest/api/2/myself")
                        .json()
                        .get("message")
                        .asText())
                .as("the field named once, as the query names it")
                .isEqualTo("path: 'rest/api/2/myself' must start with '/', e.g. /rest/api/2/issue/AAA-1");
        assertThat(admin.post("/tokens/" + id + "/revoke", null).status()).isEqualTo(200);
        Reply revoked = admin.get("/tokens/" + id + "/snippets");
        assertThat(revoked.status()).isEqualTo(409);
        assertThat(revoked.json().get("message").asText())
                .as("the refusal names the snippets asked for")
                .isEqualTo(
                        "token " + id + " is revoked; no code snippets are made for it, as its secret no longer works");
        assertThat(gw.auditEvents()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(io.tokengate.core.audit.AuditKind.TOKEN_REVEAL);
            assertThat(e.tokenId().value()).isEqualTo(id);
            assertThat(e.reason()).contains("snippets shown");
        });
    }
}
