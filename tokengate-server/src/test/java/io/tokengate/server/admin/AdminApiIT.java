package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API in standard mode, driven over HTTP as an admin script would, against openapi.yaml. */
class AdminApiIT {
    static final String ADMIN = "root";
    static final String ADMIN_PASSWORD = "root-password-1";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "login.max.failures",
                        "1000",
                        "upstream.service.password",
                        "hunter2-service-secret",
                        "runas.groups",
                        "Jira-RunAs",
                        "body.inspect.max",
                        Integer.toString(INSPECT_MAX),
                        "gateway.refused.parameters",
                        "runAs"),
                GatewayFixture.headerUpstream());
        gw.server.localUsers().add(ADMIN, null, null, UserRole.ADMIN, ADMIN_PASSWORD.toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, ADMIN, ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aCreatedTokenWorksOnTheDataPlaneAtOnce() throws Exception {
        Reply created = admin.post(
                "/tokens",
                Map.of(
                        "name", "read AAA issues",
                        "user", "alice",
                        "limits", ".*/rest/api/2/issue/AAA.*",
                        "daysUntilExpiry", 30,
                        "allowedIps", List.of("127.0.0.1", "::1")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode token = created.json();
        String id = token.get("id").asText();
        String secret = token.get("token").asText();
        assertThat(created.header("Location")).contains("/api/v1/tokens/" + id);
        assertThat(token.get("user").asText()).isEqualTo("alice");
        assertThat(token.get("unbound").asBoolean()).isFalse();
        assertThat(token.get("createdBy").asText()).isEqualTo(ADMIN);
        assertThat(token.get("status").asText()).isEqualTo("active");
        assertThat(token.get("allowedIps")).hasSize(2);
        assertThat(Instant.parse(token.get("expiresAt").asText()))
                .isBetween(
                        Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice", secret))
                        .statusCode())
                .isEqualTo(200);
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", secret))
                        .statusCode())
                .as("outside its limits")
                .isEqualTo(403);

        Reply shown = admin.get("/tokens/" + id);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).as("the secret is never shown again by GET").doesNotContain(secret);
    }

    /**
     * A user removed, demoted or given a new password on another node loses what they had here at
     * their next call, though this node remembers their Basic sign-in for a minute. (Changed here
     * straight in the store, as another node would: past this node's admin API and its memory.)
     */
    @Test
    void aSignInRememberedHereDoesNotOutliveAChangeMadeElsewhere() {
        gw.server.localUsers().add("carol", null, null, UserRole.ADMIN, "carol-password-1".toCharArray());
        AdminClient carol = AdminClient.basic(gw, contract, "carol", "carol-password-1");
        assertThat(carol.get("/users").status()).isEqualTo(200);

        gw.server.store().users().edit("carol", Optional.of(UserRole.USER), Optional.empty());
        assertThat(carol.get("/users").status()).as("demoted elsewhere").isEqualTo(403);
        assertThat(carol.get("/tokens").status()).as("still a user").isEqualTo(200);

        gw.server.localUsers().setPassword("carol", "carol-password-2".toCharArray());
        assertThat(carol.get("/tokens").status()).as("the old password").isEqualTo(401);
        AdminClient carolNow = AdminClient.basic(gw, contract, "carol", "carol-password-2");
        assertThat(carolNow.get("/tokens").status()).isEqualTo(200);

        gw.server.store().users().remove("carol");
        assertThat(carolNow.get("/tokens").status()).as("removed elsewhere").isEqualTo(401);
        gw.server.localUsers().add("carol", null, null, UserRole.ADMIN, "carol-password-2".toCharArray());
        assertThat(carolNow.get("/users").status())
                .as("a new account of the same name and password is checked afresh, and let in")
                .isEqualTo(200);
    }

    @Test
    void anUnboundTokenRunsAsAnyBasicUser() throws Exception {
        Reply created = admin.post("/tokens", Map.of("name", "ansible playbooks"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("unbound").asBoolean()).isTrue();
        assertThat(created.json().get("user").isNull()).isTrue();
        String secret = created.json().get("token").asText();
        gw.jira.clearReceived();
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("ansible", secret))
                        .statusCode())
                .isEqualTo(200);
        assertThat(gw.jira.received().get(0).header("X-Forwarded-User")).contains("ansible");
    }

    /**
     * {@code "user": ""} is a script's empty variable ({@code token create --user "$CI_USER"}), not
     * a request for a token any Basic user name may present: it is refused, with every other field
     * at fault, and no token is made. Unbound takes leaving the field out.
     */
    @Test
    void aBlankUserIsRefusedRatherThanMakingTheTokenUnbound() {
        for (String blank : List.of("", "   ")) {
            Reply refused = admin.post("/tokens", Map.of("name", "blank-user", "user", blank));
            assertField(refused, "user", "is blank");
            assertThat(refused.json().get("message").asText()).contains("leave \"user\" out for an unbound token");
        }
        Reply both = admin.post("/tokens", Map.of("name", "blank-user", "user", "", "daysUntilExpiry", 0));
        assertThat(both.json().get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("user", "daysUntilExpiry");
        assertThat(admin.get("/tokens?name=blank-user").json().get("total").asInt())
                .as("no token was made")
                .isZero();
    }

    /**
     * A proxy in front may serve the gateway under a path of its own: a dry run answers for the
     * path the gateway receives, without it.
     */
    @Test
    void aDryRunUnderAPublicUrlWithAPathAnswersForWhatTheGatewayReceives(@TempDir Path other) {
        try (GatewayFixture prefixed = GatewayFixture.start(
                other,
                Map.of("gateway.public.url", "https://gw.example.com/gateway"),
                GatewayFixture.headerUpstream())) {
            prefixed.server.localUsers().add("root", null, null, UserRole.ADMIN, ADMIN_PASSWORD.toCharArray());
            AdminClient root = AdminClient.basic(prefixed, contract, "root", ADMIN_PASSWORD);
            Reply served = root.post(
                    "/check", Map.of("limits", "", "url", "https://gw.example.com/gateway/rest/api/2/myself"));
            assertThat(served.json().get("allowed").asBoolean())
                    .as(served.body())
                    .isTrue();
            Reply excluded = root.post(
                    "/check", Map.of("limits", "", "url", "https://gw.example.com/gateway/rest/pat/latest/tokens"));
            assertThat(excluded.json().get("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void invalidInputIsRefusedNamingTheField() {
        Reply limits = admin.post(
                "/tokens",
                Map.of("name", "bad limits", "user", "alice", "limits", ".*/rest/api/2/issue/.*\n[get] (unclosed"));
        assertThat(limits.status()).isEqualTo(400);
        assertThat(limits.json().get("field").asText()).isEqualTo("limits");
        assertThat(limits.json().get("message").asText()).startsWith("limits: line 2, column ");
        assertThat(limits.json().get("problems").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(limits.json().get("problems").get(0).get("column").asInt()).isPositive();
        assertThat(limits.json().get("requestId").asText()).isNotBlank();
        assertThat(limits.json().get("error").asText()).isEqualTo("Bad Request");

        assertField(admin.post("/tokens", Map.of("name", "x", "allowedIps", "10.0.0.300")), "allowedIps", "300");
        assertField(admin.post("/tokens", Map.of("name", "x", "rateLimit", "100/week")), "rateLimit", "'week'");
        assertField(admin.post("/tokens", Map.of("name", "x", "rateLimit", "0/s")), "rateLimit", "between 1 and");
        assertField(admin.post("/tokens", Map.of("name", "x", "rateLimit", 100)), "rateLimit", "must be a string");
        assertField(admin.post("/tokens", Map.of("name", "x", "expiresAt", "tomorrow")), "expiresAt", "ISO-8601");
        assertField(
                admin.post("/tokens", Map.of("name", "x", "expiresAt", "2001-01-01T00:00:00Z")),
                "expiresAt",
                "not in the future");
        assertField(admin.post("/tokens", Map.of("name", "x", "daysUntilExpiry", 0)), "daysUntilExpiry", "from 1");
        assertField(
                admin.post("/tokens", Map.of("name", "x", "daysUntilExpiry", 3, "expiresAt", "2099-01-01T00:00:00Z")),
                "expiresAt",
                "not both");
        assertField(admin.post("/tokens", Map.of("user", "alice")), "name", "required");
        assertField(admin.post("/tokens", Map.of("name", " ")), "name", "blank");
        assertField(admin.post("/tokens", Map.of("name", "x", "limit", "typo")), "limit", "unknown field");
        assertField(admin.post("/tokens", Map.of("name", "x", "user", "a:b")), "user", "':'");
        assertField(
                admin.post("/tokens", Map.of("name", "x", "user", "łukasz")),
                "user",
                "outside printable ASCII, which upstream.identity = header");
        assertField(
                admin.post("/tokens", Map.of("name", "prod-read\u202eetirw\u202c")),
                "name",
                "contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)");
        assertField(
                admin.post("/tokens", Map.of("name", "x", "user", "ad\u200bmin")),
                "user",
                "outside printable ASCII, which upstream.identity = header");
        assertField(
                admin.post("/tokens", Map.of("name", "x", "limits", "[get].*/issue/JRA.*\n\u202e?.*|ARJ ylno-daer #")),
                "limits",
                "line 2, column 1: the invisible character U+202E");
        assertField(admin.get("/tokens?status=sleeping"), "status", "expected active, expired, revoked");
        assertField(admin.get("/tokens?limit=0"), "limit", "from 1");
        assertField(admin.get("/tokens?limit=ten"), "limit", "'ten' is not a whole number");
        assertField(admin.get("/audit?limit=99999999999"), "limit", "must be from 1 to 1000, got 99999999999");
        assertField(admin.get("/tokens?offset=3000000000"), "offset", "must be from 0 to 2147483647, got 3000000000");
        assertField(admin.get("/audit?kind=NOPE"), "kind", "TOKEN_CREATE");
        assertField(admin.get("/audit?cursor=garbage"), "cursor", "nextCursor");

        Reply notJson = admin.post("/tokens", "{\"name\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("message").asText())
                .isEqualTo("the body is not valid JSON (it ends too early at line 1, column 10)");

        assertField(admin.get("/audit?to=%2B999999999-12-31T23:59:59Z"), "to", "outside the years 1 to 9999");
        assertField(
                admin.get("/audit?from=2026-12-04T00:00:00Z&to=2026-12-03T00:00:00Z"),
                "to",
                "'2026-12-03T00:00:00Z' is not after from ('2026-12-04T00:00:00Z'): records are listed from that"
                        + " time up to, not including, this one");
        assertField(admin.get("/audit?from=2026-12-03T00:00:00Z&to=2026-12-03T00:00:00Z"), "to", "is not after from");
        String forged = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        "a1:31556889864403199:999999999:1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertField(admin.get("/audit?cursor=" + forged), "cursor", "nextCursor");
        Reply duplicate = admin.post("/tokens", "{\"name\":\"a\",\"name\":\"b\"}");
        assertThat(duplicate.status()).as("an ambiguous body is refused").isEqualTo(400);
    }

    @Test
    void editRotateRevealRevokeAndDeleteTakeEffectOnTheDataPlane() throws Exception {
        JsonNode token = admin.post("/tokens", Map.of("name", "lifecycle", "user", "alice"))
                .json();
        String id = token.get("id").asText();
        String first = token.get("token").asText();
        String path = "/tokens/" + id;

        Reply revealed = admin.get(path + "/secret");
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.json().get("token").asText()).isEqualTo(first);

        Reply edited = admin.patch(
                path,
                Map.of(
                        "name",
                        "lifecycle, renamed",
                        "limits",
                        ".*/rest/api/2/issue/JRA.*",
                        "expiresAt",
                        "2099-01-01T00:00:00Z"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("name").asText()).isEqualTo("lifecycle, renamed");
        assertThat(edited.json().get("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice", first))
                        .statusCode())
                .as("the new limits hold at once")
                .isEqualTo(403);
        assertField(admin.patch(path, Map.of("limits", "[QueryParam::x==1]")), "limits", "line 1");
        assertThat(admin.get(path).json().get("limits").asText())
                .as("a refused edit changes nothing")
                .isEqualTo(".*/rest/api/2/issue/JRA.*");
        Reply never = admin.patch(path, "{\"expiresAt\": null, \"allowedIps\": []}");
        assertThat(never.json().get("expiresAt").isNull()).isTrue();
        assertThat(never.json().get("rateLimit").isNull())
                .as("no rate limit unless given")
                .isTrue();

        Reply rated = admin.patch(path, Map.of("rateLimit", "1 / Hour"));
        assertThat(rated.status()).isEqualTo(200);
        assertThat(rated.json().get("rateLimit").asText()).isEqualTo("1/h");
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", first))
                        .statusCode())
                .isEqualTo(200);
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", first))
                        .statusCode())
                .as("the new rate limit holds at once")
                .isEqualTo(429);
        assertField(admin.patch(path, Map.of("rateLimit", "fast")), "rateLimit", "has no '/'");
        assertThat(admin.get(path).json().get("rateLimit").asText())
                .as("a refused edit changes nothing")
                .isEqualTo("1/h");
        Reply unrated = admin.patch(path, "{\"rateLimit\": null}");
        assertThat(unrated.json().get("rateLimit").isNull()).isTrue();
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", first))
                        .statusCode())
                .isEqualTo(200);

        Reply rotated = admin.post(path + "/rotate", null);
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.json().get("token").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", first))
                        .statusCode())
                .isEqualTo(401);
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", second))
                        .statusCode())
                .isEqualTo(200);

        Reply revoked = admin.post(path + "/revoke", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.json().get("alreadyRevoked").asBoolean()).isFalse();
        assertThat(gw.get("/rest/api/2/issue/JRA-1", GatewayFixture.basic("alice", second))
                        .statusCode())
                .isEqualTo(401);
        Reply again = admin.post(path + "/revoke", null);
        assertThat(again.status()).as("revoking again is no error").isEqualTo(200);
        assertThat(again.json().get("alreadyRevoked").asBoolean())
                .as("but the answer says nothing changed")
                .isTrue();
        assertThat(again.json().get("revokedAt"))
                .as("when it was revoked")
                .isEqualTo(revoked.json().get("revokedAt"));
        assertThat(awaitEvents("/audit?token=" + id + "&kind=TOKEN_REVOKE", 2))
                .extracting(e -> e.get("reason").asText())
                .containsExactly("already revoked", "revoked");
        Reply rotateRevoked = admin.post(path + "/rotate", null);
        assertThat(rotateRevoked.status()).isEqualTo(409);
        assertThat(rotateRevoked.json().get("message").asText()).contains("revoked");

        assertThat(admin.delete(path).status()).isEqualTo(204);
        assertThat(admin.get(path).status()).isEqualTo(404);
        assertThat(admin.delete(path).status()).isEqualTo(404);
    }

    @Test
    void listsFilterAndPage() {
        for (int i = 0; i < 5; i++) {
            admin.post("/tokens", Map.of("name", "paging-" + i, "user", "pager"));
        }
        Reply first = admin.get("/tokens?user=pager&limit=2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("total").asInt()).isEqualTo(5);
        assertThat(first.json().get("offset").asInt()).isZero();
        List<String> names = new ArrayList<>();
        first.json().get("tokens").forEach(t -> names.add(t.get("name").asText()));
        String cursor = first.json().get("nextCursor").asText();
        admin.post("/tokens", Map.of("name", "paging-5", "user", "pager")); // newer: on no later page
        while (cursor != null) {
            Reply next = admin.get("/tokens?user=pager&limit=2&cursor=" + cursor);
            next.json().get("tokens").forEach(t -> names.add(t.get("name").asText()));
            cursor = next.json().get("nextCursor").isNull()
                    ? null
                    : next.json().get("nextCursor").asText();
        }
        assertThat(names).containsExactly("paging-4", "paging-3", "paging-2", "paging-1", "paging-0");
        assertThat(admin.get("/tokens?user=pager&offset=4").json().get("tokens"))
                .hasSize(2);
        assertThat(admin.get("/tokens?user=pager&name=ing-3").json().get("tokens"))
                .hasSize(1);
        assertThat(admin.get("/tokens?user=pager&status=revoked")
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertField(
                admin.get("/tokens?offset=1&cursor="
                        + first.json().get("nextCursor").asText()),
                "cursor",
                "not both");
        assertField(admin.get("/tokens?cursor=b2Zmc2V0OjI"), "cursor", "nextCursor"); // "offset:2", a cursor of old

        admin.post("/tokens", Map.of("name", "soon", "user", "hygiene", "daysUntilExpiry", 2));
        admin.post("/tokens", Map.of("name", "later", "user", "hygiene", "daysUntilExpiry", 60));
        Instant now = Instant.now();
        assertThat(admin.get("/tokens?user=hygiene&status=active&expiresBefore=" + now.plus(Duration.ofDays(7)))
                        .json()
                        .get("tokens"))
                .extracting(t -> t.get("name").asText())
                .containsExactly("soon");
        assertThat(admin.get("/tokens?user=hygiene&unusedSince=" + now.plus(Duration.ofMinutes(1)))
                        .json()
                        .get("total")
                        .asInt())
                .as("never used, created before")
                .isEqualTo(2);
        assertThat(admin.get("/tokens?user=hygiene&unusedSince=" + now.minus(Duration.ofHours(1)))
                        .json()
                        .get("total")
                        .asInt())
                .as("created since")
                .isZero();
        assertField(admin.get("/tokens?expiresBefore=next-week"), "expiresBefore", "ISO-8601");
        assertField(admin.get("/tokens?unusedSince=2026-13-01T00:00:00Z"), "unusedSince", "ISO-8601");
    }

    @Test
    void checkExplainsWithoutForwarding() {
        gw.jira.clearReceived();
        Reply allowed = admin.post(
                "/check",
                Map.of(
                        "limits", "# comments are fine\n[post].*/rest/api/2/issue/KANBAN-100/comment.*",
                        "method", "POST",
                        "url", "https://gw.example.com/rest/api/2/issue/KANBAN-100/comment",
                        "body", Map.of("body", "hi")));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().get("allowed").asBoolean()).isTrue();
        assertThat(allowed.json().get("rule").get("line").asInt()).isEqualTo(2);
        assertThat(allowed.json().get("explanation").asText()).startsWith("ALLOWED by rule 1 (line 2)");

        Reply denied = admin.post(
                "/check",
                Map.of(
                        "limits", ".*/rest/api/2/filter[JsonData::editable==false]",
                        "method", "POST",
                        "url", "https://gw.example.com/rest/api/2/filter",
                        "body", "{\"editable\":true}"));
        assertThat(denied.json().get("allowed").asBoolean()).isFalse();
        assertThat(denied.json().get("failures").get(0).get("failedPart").asText())
                .contains("JsonData::editable");

        Reply rejected =
                admin.post("/check", Map.of("limits", "", "url", "https://gw.example.com/rest/api/2/issue/%2e%2e/x"));
        assertThat(rejected.json().get("rejected").asBoolean()).isTrue();
        assertThat(rejected.json().get("status").asInt()).isEqualTo(400);
        Reply override = admin.post(
                "/check",
                Map.of(
                        "limits", "[POST].*",
                        "method", "POST",
                        "url", "https://gw.example.com/rest/api/2/issue/A-1?_METHOD=DELETE"));
        assertThat(override.json().get("rejected").asBoolean())
                .as("as the gateway refuses it")
                .isTrue();
        assertThat(override.json().get("reason").asText())
                .as("in the words of the gateway's audit record")
                .endsWith(": method override parameter _METHOD");
        Reply both = admin.post(
                "/check",
                Map.of(
                        "limits", ".*",
                        "url", "https://gw.example.com/rest/api/2/myself?os_username=bob",
                        "headers", List.of("sudo: bob")));
        assertThat(both.json().get("reason").asText())
                .as("the gateway looks at the head's fields before the decoded parameters")
                .endsWith(": client sent the impersonation header sudo: bob");
        Reply configured = admin.post(
                "/check", Map.of("limits", ".*", "url", "https://gw.example.com/rest/api/2/myself?runas=bob"));
        assertThat(configured.json().get("reason").asText())
                .as("a dry run applies the gateway's settings")
                .endsWith(": parameter runas refused by gateway.refused.parameters");
        for (String outside : List.of("/rest/pat/latest/tokens", "/secure/Dashboard.jspa")) {
            Reply answered = admin.post("/check", Map.of("limits", "", "url", "https://gw.example.com" + outside));
            assertThat(answered.json().get("rejected").asBoolean())
                    .as("the gateway serves no " + outside + ", whatever the limits")
                    .isTrue();
            assertThat(answered.json().get("status").asInt()).isEqualTo(404);
        }

        Reply invalid = admin.post("/check", Map.of("limits", "ok.*\n[QueryParam::a==(]", "url", "https://x/rest/a"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("field").asText()).isEqualTo("limits");
        assertThat(invalid.json().get("problems").get(0).get("line").asInt()).isEqualTo(2);

        JsonNode token = admin.post(
                        "/tokens", Map.of("name", "checked", "user", "alice", "limits", ".*/rest/api/2/issue/AAA.*"))
                .json();
        Reply byToken = admin.post(
                "/check", Map.of("tokenId", token.get("id").asText(), "url", "https://gw/rest/api/2/issue/AAA-7"));
        assertThat(byToken.json().get("allowed").asBoolean()).isTrue();
        assertField(admin.post("/check", Map.of("url", "https://gw/rest/x")), "limits", "either");
        assertField(admin.post("/check", Map.of("limits", "", "url", "ftp://gw/rest/x")), "url", "http");
        assertThat(gw.jira.received()).as("nothing is forwarded").isEmpty();
    }

    /** Headers the gateway refuses a request for are refused by the check too; headers that are not headers are a 400. */
    @Test
    void checkMakesTheRefusalsThatHangOnHeaders() {
        String filters = ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]";
        String url = "https://gw.example.com/rest/extender/1.0/filter/user/admin?permissions=true";
        Reply form = admin.post(
                "/check",
                Map.of(
                        "limits",
                        filters,
                        "method",
                        "POST",
                        "url",
                        url,
                        "headers",
                        List.of("Content-Type: application/x-www-form-urlencoded"),
                        "body",
                        "permissions=false"));
        assertThat(form.json().get("rejected").asBoolean()).as(form.body()).isTrue();
        assertThat(form.json().get("status").asInt()).isEqualTo(400);
        assertThat(form.json().get("reason").asText()).contains("Jira reads the parameters of a form body");

        Reply identity =
                admin.post("/check", Map.of("limits", ".*", "url", url, "headers", List.of("X-Forwarded-User: bob")));
        assertThat(identity.json().get("status").asInt()).as(identity.body()).isEqualTo(400);
        assertThat(identity.json().get("reason").asText()).contains("client sent the identity header X-Forwarded-User");

        Reply taken = admin.post("/check", Map.of("limits", ".*", "url", url, "headers", List.of("Accept: */*")));
        assertThat(taken.json().get("allowed").asBoolean()).as(taken.body()).isTrue();

        for (Object wrong :
                List.of("Accept: */*", List.of("no colon"), List.of("Transfer-Encoding: chunked"), List.of(1))) {
            Reply refused = admin.post("/check", Map.of("limits", ".*", "url", url, "headers", wrong));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("headers");
        }
    }

    /** A sample that is not a request is a 400 naming the field that is wrong, not a decision. */
    @Test
    void checkNamesTheFieldOfASampleThatIsNotARequest() {
        String url = "https://gw.example.com/rest/api/2/myself";
        Map<String, Map<String, Object>> wrong = Map.of(
                "method", Map.of("limits", ".*", "method", "GET /", "url", url),
                "url", Map.of("limits", ".*", "url", "ftp://gw.example.com/rest/api/2/myself"));
        wrong.forEach((field, request) -> {
            Reply refused = admin.post("/check", request);
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(refused.body()).isEqualTo(field);
        });
        Reply hostless = admin.post("/check", Map.of("limits", ".*", "url", "https:///rest/api/2/myself"));
        assertThat(hostless.json().get("field").asText()).as(hostless.body()).isEqualTo("url");
    }

    /** This gateway's {@code body.inspect.max}: small enough for a sample body the API accepts to exceed. */
    private static final int INSPECT_MAX = 64 * 1024;

    /** The gateway refuses (413) a body longer than {@code body.inspect.max} that the limits must read; so does the check. */
    @Test
    void checkRejectsABodyLongerThanTheGatewayReadsForJsonLimits() {
        String filters = "[post].*/rest/api/2/filter[JsonData::editable==false]";
        String url = "https://gw.example.com/rest/api/2/filter";
        String fits = "{\"editable\":false}" + " ".repeat(INSPECT_MAX - 18);
        Reply judged = admin.post("/check", Map.of("limits", filters, "method", "POST", "url", url, "body", fits));
        assertThat(judged.json().get("allowed").asBoolean()).as(judged.body()).isTrue();

        Reply tooLong =
                admin.post("/check", Map.of("limits", filters, "method", "POST", "url", url, "body", fits + " "));
        assertThat(tooLong.json().get("rejected").asBoolean())
                .as(tooLong.body())
                .isTrue();
        assertThat(tooLong.json().get("status").asInt()).isEqualTo(413);
        assertThat(tooLong.json().get("explanation").asText())
                .isEqualTo("REJECTED (413): The token's restrictions inspect the request body, which may be at most "
                        + INSPECT_MAX + " bytes.");

        Reply unread =
                admin.post("/check", Map.of("limits", "[post].*", "method", "POST", "url", url, "body", fits + " "));
        assertThat(unread.json().get("allowed").asBoolean())
                .as("limits that read no body take one of any length")
                .isTrue();
    }

    /**
     * The gateway refuses (400) a query of more parameters than Jira's Tomcat reads when the rule
     * that allows it judges query parameters; the check says so, in the gateway's words.
     */
    @Test
    void checkRejectsMoreQueryParametersThanJiraReadsUnderARuleThatJudgesThem() {
        String filters = ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]";
        String url = "https://gw.example.com/rest/extender/1.0/filter/user/admin?permissions=true";
        Reply tooMany = admin.post("/check", Map.of("limits", filters, "url", url + "&p=1".repeat(1000)));
        assertThat(tooMany.status()).isEqualTo(200);
        assertThat(tooMany.json().get("allowed").asBoolean()).isFalse();
        assertThat(tooMany.json().get("rejected").asBoolean()).isTrue();
        assertThat(tooMany.json().get("status").asInt()).isEqualTo(400);
        String message = "The token's restrictions judge query parameters, and the query has more than 1000 of"
                + " them: Jira's servlet container reads no further, so it would not see them all.";
        assertThat(tooMany.json().get("reason").asText()).isEqualTo(message);
        assertThat(tooMany.json().get("explanation").asText()).isEqualTo("REJECTED (400): " + message);

        Reply asManyAsRead = admin.post("/check", Map.of("limits", filters, "url", url + "&p=1".repeat(999)));
        assertThat(asManyAsRead.json().get("allowed").asBoolean())
                .as(asManyAsRead.body())
                .isTrue();
        Reply otherRule =
                admin.post("/check", Map.of("limits", ".*/rest/extender/.*", "url", url + "&p=1".repeat(1000)));
        assertThat(otherRule.json().get("allowed").asBoolean())
                .as("a rule that does not judge query parameters does not care how many Jira reads")
                .isTrue();
        Reply denied = admin.post(
                "/check", Map.of("limits", filters, "url", url.replace("=true", "=false") + "&p=1".repeat(1000)));
        assertThat(denied.json().get("rejected").asBoolean())
                .as("denied by the limits (403), as the gateway denies it")
                .isFalse();
        assertThat(denied.json().get("allowed").asBoolean()).isFalse();
    }

    @Test
    void everyAdminActionIsAuditedWithItsActor() {
        JsonNode token = admin.post(
                        "/tokens",
                        Map.of("name", "audited", "user", "carol", "limits", "[GET].*/rest/api/2/issue/AAA-.*"))
                .json();
        String id = token.get("id").asText();
        admin.get("/tokens/" + id + "/secret");
        admin.patch(
                "/tokens/" + id,
                Map.of(
                        "name",
                        "audited, renamed",
                        "limits",
                        "[GET].*/rest/api/2/issue/AAA-.*\n[POST].*/rest/api/2/issue/AAA-.*/comment",
                        "allowedIps",
                        "10.0.0.0/8"));
        admin.post("/tokens/" + id + "/rotate", null);
        admin.patch("/tokens/" + id, Map.of("limits", "[broken"));
        admin.post("/tokens/" + id + "/revoke", null);
        admin.delete("/tokens/" + id);

        List<JsonNode> events = awaitEvents("/audit?token=" + id, 7);
        List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
        assertThat(kinds)
                .containsExactly(
                        "TOKEN_DELETE",
                        "TOKEN_REVOKE",
                        "TOKEN_EDIT",
                        "TOKEN_ROTATE",
                        "TOKEN_EDIT",
                        "TOKEN_REVEAL",
                        "TOKEN_CREATE");
        for (JsonNode event : events) {
            assertThat(event.get("actor").asText()).isEqualTo(ADMIN);
            assertThat(event.get("effectiveUser").asText()).isEqualTo("carol");
            assertThat(event.get("clientIp").asText()).isNotBlank();
            assertThat(event.get("requestId").asText()).isNotBlank();
        }
        JsonNode refusedEdit = events.get(2);
        assertThat(refusedEdit.get("decision").asText()).isEqualTo("DENY");
        assertThat(refusedEdit.get("status").asInt()).isEqualTo(400);
        assertThat(events.get(0).get("decision").asText()).isEqualTo("ALLOW");
        assertThat(events.get(6).get("reason").asText())
                .as("what the token may do stays on record")
                .isEqualTo("created token bound to carol; expires never; allowed IPs any; rate limit none;"
                        + " limits [GET].*/rest/api/2/issue/AAA-.*");
        assertThat(events.get(4).get("reason").asText())
                .isEqualTo("edited name, limits, allowedIps; now expires never; allowed IPs 10.0.0.0/8;"
                        + " rate limit none; limits [GET].*/rest/api/2/issue/AAA-.* |"
                        + " [POST].*/rest/api/2/issue/AAA-.*/comment");
        assertThat(events.get(0).get("reason").asText())
                .as("and once the token is gone")
                .startsWith("deleted token bound to carol; expires never; allowed IPs 10.0.0.0/8;")
                .endsWith("/comment");
        String everything = events.toString();
        assertThat(everything)
                .as("no secret in the audit log")
                .doesNotContain(token.get("token").asText());

        assertThat(admin.get("/audit?token=" + id + "&kind=token_reveal").json().get("events"))
                .hasSize(1);
        assertThat(admin.get("/audit?token=" + id + "&decision=DENY").json().get("events"))
                .hasSize(1);
        Reply page = admin.get("/audit?token=" + id + "&limit=3");
        assertThat(page.json().get("events")).hasSize(3);
        Reply next = admin.get("/audit?token=" + id + "&limit=10&cursor="
                + page.json().get("nextCursor").asText());
        assertThat(next.json().get("events")).hasSize(4);
        assertThat(admin.get("/audit?token=" + id + "&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")
                        .json()
                        .get("events"))
                .isEmpty();
    }

    @Test
    void aSecretPastedWhereTheIdBelongsLeavesNoPartOfItInTheAnswerOrTheAuditLog() {
        String secret = admin.post("/tokens", Map.of("name", "pasted", "user", "erin"))
                .json()
                .get("token")
                .asText();
        String body = secret.substring(4);
        for (String path : List.of("/tokens/" + secret, "/tokens/" + "x".repeat(30) + secret)) {
            Reply refused = admin.delete(path);
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain(body.substring(0, 12));
        }

        List<JsonNode> events = awaitEvents("/audit?kind=token_delete&decision=DENY", 2);
        assertThat(events.toString())
                .as("the refusals are audited with no fragment of the secret")
                .contains("No token")
                .doesNotContain(body.substring(0, 12));
    }

    @Test
    void exportsStreamCsvAndJsonLines() {
        String id = admin.post("/tokens", Map.of("name", "exported", "user", "dave"))
                .json()
                .get("id")
                .asText();
        awaitEvents("/audit?token=" + id, 1);
        Reply csv = admin.get("/audit/export?format=csv&token=" + id);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).get().asString().startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).get().asString().contains("attachment");
        assertThat(csv.body().lines().toList()).hasSize(2);
        assertThat(csv.body()).startsWith("time,requestId,node,kind,").contains("TOKEN_CREATE");
        Reply jsonl = admin.get("/audit/export?format=jsonl&token=" + id);
        assertThat(jsonl.header("Content-Type")).get().asString().startsWith("application/x-ndjson");
        assertThat(jsonl.body().lines().toList()).hasSize(1).allMatch(l -> l.contains("\"kind\":\"TOKEN_CREATE\""));
        assertField(admin.get("/audit/export?format=xml"), "format", "csv, jsonl");
    }

    @Test
    void settingsShowTheConfigurationWithSecretsMasked() {
        Reply settings = admin.get("/settings");
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.json().get("secureMode").asBoolean()).isFalse();
        assertThat(settings.json().get("identitySource").asText()).isEqualTo("local");
        assertThat(settings.body()).doesNotContain("hunter2");
        JsonNode password = null;
        for (JsonNode setting : settings.json().get("settings")) {
            if (setting.get("key").asText().equals("upstream.service.password")) {
                password = setting;
            }
        }
        assertThat(password).isNotNull();
        assertThat(password.get("value").asText()).isEqualTo("********");
        assertThat(password.get("secret").asBoolean()).isTrue();
        assertThat(password.get("source").asText()).isEqualTo("command line");
    }

    @Test
    void adminsManageLocalUsers() {
        Reply added = admin.post(
                "/users",
                Map.of("name", "erin", "password", "erin-password", "role", "user", "email", "erin@example.com"));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("role").asText()).isEqualTo("user");
        assertThat(added.body()).doesNotContain("erin-password");
        AdminClient erin = AdminClient.basic(gw, contract, "erin", "erin-password");
        assertThat(erin.get("/me").json().get("role").asText()).isEqualTo("user");
        assertThat(erin.get("/me").json().get("upstreamIdentity").asText())
                .as("upstream.identity, which says whether a user's own upstream credential is used")
                .isEqualTo("header");
        assertThat(admin.get("/users").json().get("users").toString()).contains("\"erin\"");

        assertField(admin.post("/users", Map.of("name", "frank", "password", "short")), "password", "at least 8");
        assertField(admin.post("/users", Map.of("name", "fr:ank", "password", "long enough")), "name", "':'");
        assertField(
                admin.post("/users", Map.of("name", "ad\u200bmin", "password", "long enough")),
                "name",
                "contains the invisible character U+200B (ZERO WIDTH SPACE), which would let it pass for another name");
        assertField(
                admin.post("/users", Map.of("name", "frank", "password", "long enough", "displayName", "Frank\u2066")),
                "displayName",
                "invisible");
        assertField(
                admin.post("/users", Map.of("name", "frank", "password", "long enough", "role", "boss")),
                "role",
                "admin, user");
        assertThat(admin.post("/users", Map.of("name", "ERIN", "password", "long enough"))
                        .status())
                .as("names ignore case")
                .isEqualTo(409);
        assertThat(admin.delete("/users/" + ADMIN).status()).as("not yourself").isEqualTo(409);

        assertThat(admin.delete("/users/erin").status()).isEqualTo(200);
        assertThat(erin.get("/me").status())
                .as("a removed user is signed out at once")
                .isEqualTo(401);
        assertThat(admin.delete("/users/erin").status()).isEqualTo(404);
        List<String> kinds = awaitEvents("/audit?user=erin", 2).stream()
                .map(e -> e.get("kind").asText())
                .toList();
        assertThat(kinds).contains("USER_ADD", "USER_REMOVE");
    }

    /**
     * A token secret pasted into a user's name, e-mail, display name or groups is refused like one
     * pasted into a token's fields: never stored in the clear, listed by {@code GET /users}, or sent
     * back whole.
     */
    @Test
    void aSecretPastedIntoAUsersFieldsIsRefusedNotStored() {
        String secret = admin.post("/tokens", Map.of("name", "pasted into a user"))
                .json()
                .get("token")
                .asText();
        String hidden = secret.substring(4, 30);
        assertThat(admin.post("/users", Map.of("name", "pasty", "password", "pasty-password"))
                        .status())
                .isEqualTo(201);
        Map<String, Map<String, Object>> wrong = new LinkedHashMap<>();
        wrong.put("name", Map.of("name", secret, "password", "long enough"));
        wrong.put("email", Map.of("name", "pasted", "password", "long enough", "email", secret + "@example.com"));
        wrong.put(
                "displayName", Map.of("name", "pasted", "password", "long enough", "displayName", "Pasted " + secret));
        wrong.put("groups", Map.of("name", "pasted", "password", "long enough", "groups", List.of("ops", secret)));
        wrong.forEach((field, body) -> {
            Reply refused = admin.post("/users", body);
            assertField(refused, field, "contains a token secret");
            assertThat(refused.body()).as(field).doesNotContain(hidden);
        });
        Reply patched = admin.patch("/users/pasty", Map.of("groups", List.of(secret)));
        assertField(patched, "groups", "contains a token secret");
        assertThat(patched.body()).doesNotContain(hidden);
        Reply revoke = admin.post("/users/" + secret + "/tokens/revoke", null);
        assertField(revoke, "name", "contains a token secret");
        assertThat(revoke.body()).doesNotContain(hidden);
        assertThat(admin.get("/users").body()).doesNotContain(hidden).doesNotContain("\"pasted\"");
        assertThat(admin.get("/users").json().get("users").toString()).contains("\"pasty\"");
    }

    /**
     * A user is managed by name in the URL ({@code /users/{name}}): a name that no URL path can
     * carry to the server intact is refused when added, not left unmanageable after.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "ci/deploy",
                "ci\\deploy",
                "ci%deploy",
                "ci;deploy",
                "..",
                ".",
                "ci?deploy",
                "ci#deploy",
                "ci deploy",
                "ci+deploy",
                "cì"
            })
    void aUserNameIsEitherRefusedOrManageableByName(String name) {
        Reply added = admin.post("/users", Map.of("name", name, "password", "long enough"));
        if (added.status() == 400) {
            assertThat(added.json().get("field").asText()).isEqualTo("name");
            return;
        }
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String path =
                "/users/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        Reply patched = admin.patch(path, Map.of("role", "admin"));
        assertThat(patched.status())
                .as("managed by name after it was added: %s", patched.body())
                .isEqualTo(200);
        assertThat(admin.delete(path).status()).isEqualTo(200);
    }

    @Test
    void aLocalUsersGroupsLetThemRunAsAnotherUserUntilTheyChange() throws Exception {
        Reply added = admin.post(
                "/users",
                Map.of("name", "gina", "password", "gina-password", "groups", List.of("ci", "jira-runas", "CI")));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("groups").toString()).isEqualTo("[\"ci\",\"jira-runas\"]");
        String secret = admin.post("/tokens", Map.of("name", "gina as others", "user", "gina"))
                .json()
                .get("token")
                .asText();
        HttpRequest asBob = HttpRequest.newBuilder(gw.url("/rest/api/2/myself"))
                .header("Authorization", GatewayFixture.basic("gina", secret))
                .header("contextUser", "bob")
                .build();
        HttpResponse<String> ranAsBob = gw.send(asBob);
        assertThat(ranAsBob.statusCode())
                .as("jira-runas is runas.groups' Jira-RunAs, without regard to case")
                .isEqualTo(200);
        assertThat(ranAsBob.body()).contains("\"name\":\"bob\"");

        Reply edited = admin.patch("/users/GINA", Map.of("groups", "ci, deploy"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("groups").toString()).isEqualTo("[\"ci\",\"deploy\"]");
        assertThat(gw.send(asBob).statusCode())
                .as("out of the group: refused at once")
                .isEqualTo(403);

        assertThat(admin.patch("/users/gina", Map.of("role", "admin"))
                        .json()
                        .get("role")
                        .asText())
                .isEqualTo("admin");
        assertThat(gw.send(asBob).statusCode()).as("an admin may run as anyone").isEqualTo(200);
        assertThat(AdminClient.basic(gw, contract, "gina", "gina-password")
                        .get("/me")
                        .json()
                        .get("role")
                        .asText())
                .isEqualTo("admin");

        assertField(admin.patch("/users/gina", Map.of("groups", List.of("a\u0001b"))), "groups", "not a group name");
        assertField(admin.patch("/users/gina", Map.of("groups", List.of("a,b"))), "groups", "no ','");
        assertField(admin.patch("/users/gina", Map.of("groups", List.of("x".repeat(256)))), "groups", "255");
        assertField(admin.patch("/users/gina", Map.of("name", "hans")), "name", "unknown field");
        assertField(admin.patch("/users/gina", Map.of("role", "boss")), "role", "admin, user");
        assertThat(admin.patch("/users/nobody", Map.of("groups", List.of())).status())
                .isEqualTo(404);
        assertThat(admin.patch("/users/" + ADMIN, Map.of("role", "user")).status())
                .as("not your own role")
                .isEqualTo(409);
        JsonNode gina = null;
        for (JsonNode user : admin.get("/users").json().get("users")) {
            if (user.get("name").asText().equals("gina")) {
                gina = user;
            }
        }
        assertThat(gina).isNotNull();
        assertThat(gina.get("groups").toString())
                .as("refused edits change nothing")
                .isEqualTo("[\"ci\",\"deploy\"]");
        assertThat(gina.get("role").asText()).isEqualTo("admin");

        List<JsonNode> edits = awaitEvents("/audit?user=gina&kind=user_edit&decision=ALLOW", 2);
        assertThat(edits.get(0).get("reason").asText()).isEqualTo("changed role admin of gina");
        assertThat(edits.get(1).get("reason").asText()).isEqualTo("changed groups of gina");
    }

    @Test
    void unknownRoutesAndMethodsAnswerJsonErrors() throws Exception {
        HttpResponse<String> missing = raw("GET", "/api/v1/nothing-here", ADMIN, ADMIN_PASSWORD);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(AdminClient.JSON.readTree(missing.body()).get("requestId").asText())
                .isEqualTo(missing.headers().firstValue("X-Request-Id").orElseThrow());
        HttpResponse<String> method = raw("PUT", "/api/v1/tokens", ADMIN, ADMIN_PASSWORD);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).contains("POST, GET");
        Reply nobody = AdminClient.anonymous(gw, contract).get("/tokens");
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(nobody.header("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
        Reply wrong = AdminClient.basic(gw, contract, ADMIN, "wrong password").get("/tokens");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("message").asText()).isEqualTo("Wrong user name or password.");
        Reply yaml = AdminClient.anonymous(gw, contract).get("/openapi.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).startsWith("openapi: 3.1.0");
    }

    /**
     * A form with several wrong fields learns of them all in one answer, for the fields the API
     * reads itself (a number of days out of range) and those the token's checks find alike; a
     * client that reads only message and field still sees them, the first field first.
     */
    @Test
    void everyWrongFieldOfATokenIsNamedInOneAnswer() {
        Map<String, Object> wrong = new java.util.LinkedHashMap<>();
        wrong.put("name", "n".repeat(201));
        wrong.put("user", "alice");
        wrong.put("daysUntilExpiry", 40000);
        wrong.put("limits", "[get].*/rest/(");
        wrong.put("allowedIps", "10.0.0.300");
        wrong.put("rateLimit", "lots");
        Reply created = admin.post("/tokens", wrong);
        assertThat(created.status()).isEqualTo(400);
        JsonNode errors = created.json().get("errors");
        assertThat(errors.findValuesAsText("field"))
                .as("in the order of the form")
                .containsExactly("name", "daysUntilExpiry", "allowedIps", "rateLimit", "limits");
        assertThat(errors.get(0).get("message").asText()).isEqualTo("is 201 characters long (at most 200)");
        assertThat(errors.get(1).get("message").asText()).isEqualTo("must be from 1 to 36500, got 40000");
        assertThat(errors.get(4).get("problems").get(0).get("line").asInt()).isEqualTo(1);
        assertThat(created.json().get("field").asText()).isEqualTo("name");
        assertThat(created.json().get("message").asText())
                .startsWith("name: is 201 characters long (at most 200); daysUntilExpiry: must be from 1 to 36500")
                .contains("; allowedIps: ")
                .contains("; rateLimit: ")
                .contains("; limits: line 1, column ");
        assertThat(admin.get("/tokens?name=" + "n".repeat(20))
                        .json()
                        .get("total")
                        .asInt())
                .as("nothing created")
                .isZero();

        String id = admin.post("/tokens", Map.of("name", "edited badly", "user", "alice"))
                .json()
                .get("id")
                .asText();
        Reply edited = admin.patch("/tokens/" + id, Map.of("name", " ", "daysUntilExpiry", 0, "rateLimit", "lots"));
        assertThat(edited.status()).isEqualTo(400);
        assertThat(edited.json().get("errors").findValuesAsText("field"))
                .containsExactly("name", "daysUntilExpiry", "rateLimit");
        Reply one = admin.post("/tokens", Map.of("name", " "));
        assertThat(one.json().get("errors").findValuesAsText("message"))
                .as("one field: its error alone, as always")
                .containsExactly("must not be blank");
        assertThat(one.json().get("message").asText()).isEqualTo("name: must not be blank");
    }

    /** A secret pasted into the wrong field of a form is never sent back whole, alone or with others. */
    @Test
    void aSecretInAWrongFieldIsNotEchoedInTheError() {
        String secret = admin.post("/tokens", Map.of("name", "pasted about"))
                .json()
                .get("token")
                .asText();
        String hidden = secret.substring(4, 30);
        for (Map<String, Object> wrong : List.<Map<String, Object>>of(
                Map.of("name", "x", "allowedIps", secret),
                Map.of("name", "x", "rateLimit", secret),
                Map.of("name", "x", "limits", secret + " ("),
                Map.of("name", secret, "user", secret, "allowedIps", "10.0.0.1 " + secret, "rateLimit", secret))) {
            Reply refused = admin.post("/tokens", wrong);
            assertThat(refused.status()).as(wrong.keySet().toString()).isEqualTo(400);
            assertThat(refused.body()).as(wrong.keySet().toString()).doesNotContain(hidden);
        }
    }

    static void assertField(Reply reply, String field, String messagePart) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).as(reply.toString()).isEqualTo(field);
        assertThat(reply.json().get("message").asText())
                .startsWith(field + ": ")
                .contains(messagePart);
    }

    static HttpResponse<String> raw(String method, String path, String user, String password) {
        try {
            return gw.http.send(
                    HttpRequest.newBuilder(java.net.URI.create(gw.server.adminUri() + path))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .header("Authorization", GatewayFixture.basic(user, password))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The audit records at {@code query}, once there are at least {@code count} (records are written in batches). */
    /**
     * A script that forgot the quotes around a credential or password sends it as the JSON parser
     * would quote it in its message: the answer and the audit record say where the body is wrong,
     * never what it holds.
     */
    @Test
    void aBodyThatIsNotJsonIsNeverQuotedToTheClientOrTheAudit() {
        String credential = "NjE2ODc0MzIxOTg3OkpiUGF0U2VjcmV0VmFsdWU";
        Reply stored = admin.send("PUT", "/me/upstream-credential", "{\"credential\": " + credential + "}");
        assertThat(stored.status()).isEqualTo(400);
        assertThat(stored.json().get("message").asText())
                .isEqualTo("the body is not valid JSON (unexpected text, such as a string without quotes at line 1,"
                        + " column 16)");
        Reply user = admin.post("/users", "{\"name\":\"carol\",\"password\":Carol-Secret-Pass-99}");
        assertThat(user.status()).isEqualTo(400);
        assertThat(user.body()).doesNotContain("Carol");

        List<JsonNode> refused = awaitEvents("/audit?decision=DENY&limit=100", 2);
        assertThat(refused.toString()).doesNotContain(credential).doesNotContain("Carol-Secret");
    }

    /**
     * A page on another site can send a form or text/plain without the browser asking first, and
     * Basic credentials the browser remembers with it: a body that does not say it is JSON is
     * never read as a change.
     */
    @Test
    void aBodyThatDoesNotSayItIsJsonIsRefused() throws Exception {
        String body = "{\"name\":\"cross-site\",\"user\":\"carol\"}";
        for (String type :
                List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            HttpResponse<String> response =
                    gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1/tokens"))
                            .header("Authorization", GatewayFixture.basic(ADMIN, ADMIN_PASSWORD))
                            .header("Content-Type", type)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(response.body()).contains("Content-Type: application/json");
        }
        assertThat(admin.get("/tokens?name=cross-site").json().get("total").asInt())
                .as("nothing created")
                .isZero();
        HttpResponse<String> json = gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1/tokens"))
                .header("Authorization", GatewayFixture.basic(ADMIN, ADMIN_PASSWORD))
                .header("Content-Type", "Application/JSON; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(201);
    }

    static List<JsonNode> awaitEvents(String query, int count) {
        return awaitEvents(admin, query, count);
    }

    static List<JsonNode> awaitEvents(AdminClient client, String query, int count) {
        Supplier<List<JsonNode>> read = () -> {
            List<JsonNode> events = new ArrayList<>();
            client.get(query).json().get("events").forEach(events::add);
            return events;
        };
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonNode> events = read.get();
        while (events.size() < count && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(10).toNanos());
            events = read.get();
        }
        assertThat(events).as("audit records at " + query).hasSizeGreaterThanOrEqualTo(count);
        return events;
    }
}
