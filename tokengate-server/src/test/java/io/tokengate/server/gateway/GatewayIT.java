package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, java.util.Map.of(), GatewayFixture.headerUpstream());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aBoundTokenReadsAnIssueAsItsUser() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("read issues", "admin", "admin"));
        gw.jira.clearReceived();
        HttpResponse<String> response = gw.get(
                "/rest/api/2/issue/AAA-1",
                GatewayFixture.basic("admin", token.secret().reveal()));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode issue = JSON.readTree(response.body());
        assertThat(issue.get("key").asText()).isEqualTo("AAA-1");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();

        ReceivedRequest seen = gw.jira.received().get(0);
        assertThat(seen.rawPath()).endsWith("/rest/api/2/issue/AAA-1");
        assertThat(seen.header("X-Forwarded-User")).contains("admin");
        assertThat(seen.header("Authorization")).isEmpty();
        assertThat(seen.header("X-Request-Id")).isEqualTo(response.headers().firstValue("X-Request-Id"));
    }

    @Test
    void wrongOrMissingCredentialsGetOneAnswer() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("bob's", "bob", "admin"));
        gw.jira.clearReceived();
        HttpResponse<String> none = gw.get("/rest/api/2/issue/AAA-1", null);
        HttpResponse<String> wrongUser = gw.get(
                "/rest/api/2/issue/AAA-1",
                GatewayFixture.basic("alice", token.secret().reveal()));
        HttpResponse<String> garbage = gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("bob", "password"));
        for (HttpResponse<String> response : java.util.List.of(none, wrongUser, garbage)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .get()
                    .asString()
                    .startsWith("Basic");
            assertThat(JSON.readTree(response.body()).get("message").asText())
                    .isEqualTo("Missing or invalid credentials: use Basic USER:TOKEN.");
        }
        assertThat(gw.jira.received()).isEmpty();
    }

    @Test
    void restrictionsDecideAndNothingDeniedReachesTheUpstream() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("kanban comments", "admin", "admin")
                .withLimits("[post].*/rest/api/2/issue/KANBAN-100/comment.*"));
        String auth = GatewayFixture.basic("admin", token.secret().reveal());
        gw.jira.clearReceived();
        HttpResponse<String> denied = gw.get("/rest/api/2/issue/KANBAN-100/comment", auth);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(gw.jira.received()).isEmpty();

        HttpResponse<String> allowed = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/issue/KANBAN-100/comment"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"Comment text\"}"))
                .build());
        assertThat(allowed.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(allowed.body()).at("/author/name").asText()).isEqualTo("admin");
    }

    @Test
    void jsonRestrictionsInspectAndForwardTheExactBody() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("filters", "admin", "admin")
                .withLimits(".*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]"));
        String auth = GatewayFixture.basic("admin", token.secret().reveal());
        String body = "{\"name\":\"All Open Bugs\",\"jql\":\"type = Bug\",\"favourite\":false,\"editable\":false}";
        gw.jira.clearReceived();
        HttpResponse<String> allowed = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/filter"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(gw.jira.received().get(0).bodyText()).isEqualTo(body);

        HttpResponse<String> favourite = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/filter"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("\"favourite\":false", "\"favourite\":true")))
                .build());
        assertThat(favourite.statusCode()).isEqualTo(403);
        assertThat(gw.jira.received()).hasSize(1);
    }

    /**
     * curl sends {@code jql=project="ABC"} as it is, and Jira's Tomcat accepts it; no URI may carry
     * it. The upstream gets those characters, and raw UTF-8, percent-encoded: the same parameters
     * the restriction checked. The audit keeps the query as the client sent it.
     */
    @Test
    void aQueryCurlSendsUnescapedReachesJiraAsTheValuesTheRestrictionChecked() throws Exception {
        String auth = gw.basic(
                "admin",
                TokenSpec.bound("jql", "admin", "admin")
                        .withLimits(".*/rest/api/2/echo/search[QueryParam::jql==project=\"ABC\" AND x~\\{a\\|b\\}.*]"
                                + "[QueryParam::name==jürgen]"));
        String sent = "jql=project=\"ABC\" AND x~{a|b}[1]\\^`<>&name=jürgen";
        String onTheWire =
                new String(sent.replace(" ", "%20").getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        gw.jira.clearReceived();

        RawResponse response = RawResponse.parse(gw.raw("GET /rest/api/2/echo/search?" + onTheWire + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: " + auth + "\r\nConnection: close\r\n\r\n"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(gw.jira.received().get(0).rawQuery())
                .isEqualTo("jql=project=%22ABC%22%20AND%20x~%7Ba%7Cb%7D%5B1%5D%5C%5E%60%3C%3E&name=j%C3%BCrgen");
        AuditEvent audited =
                gw.audited(response.header("X-Request-Id").orElseThrow()).orElseThrow();
        assertThat(audited.status()).isEqualTo(200);
        assertThat(audited.query()).isEqualTo(sent.replace(" ", "%20"));
    }

    @Test
    void aQueryAnyUriMayCarryIsForwardedByteForByte() throws Exception {
        String auth = gw.basic("admin", TokenSpec.bound("plain-query", "admin", "admin"));
        String query = "jql=project%3DJRA+AND+x&a=1;b=(c)!~*'/?:@$,&flag";
        gw.jira.clearReceived();

        HttpResponse<String> response = gw.get("/rest/api/2/echo/search?" + query, auth);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gw.jira.received().get(0).rawQuery()).isEqualTo(query);
    }

    @Test
    void aPaddedQueryIsAuditedWholeSoNothingHidesBehindThePadding() throws Exception {
        String auth = gw.basic("admin", TokenSpec.bound("padded", "admin", "admin"));
        String query = "pad=" + "A".repeat(6_000) + "&jql=project%3DSECRET";

        HttpResponse<String> response = gw.get("/rest/api/2/echo/search?" + query, auth);

        assertThat(response.statusCode()).isEqualTo(200);
        AuditEvent audited = gw.audited(
                        response.headers().firstValue("X-Request-Id").orElseThrow())
                .orElseThrow();
        assertThat(audited.query()).isEqualTo(query);
    }

    /**
     * The gateway takes request heads up to 16 KiB, and so must its upstream client: with Jetty's
     * default of 8 KiB, a long JQL query failed inside the gateway as 502. Now it reaches Jira, and
     * the client gets Jira's own answer: the demo Jira, like Jira's Tomcat, takes 8 KiB.
     */
    @Test
    void aHeadTheGatewayTakesReachesJiraWhichAnswersForItsOwnLimit() throws Exception {
        String auth = gw.basic("admin", TokenSpec.bound("long-jql", "admin", "admin"));
        String query = "jql=" + "A".repeat(12_000);

        HttpResponse<String> response = gw.get("/rest/api/2/search?" + query, auth);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(414);
        assertThat(response.body()).contains("The demo Jira refused the request");
        AuditEvent audited = gw.audited(
                        response.headers().firstValue("X-Request-Id").orElseThrow())
                .orElseThrow();
        assertThat(audited.status()).isEqualTo(414);
        assertThat(audited.query()).isEqualTo(query);
    }

    @Test
    void outsideTheEndpointsIsNotFoundAndNeverForwarded() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("any", "admin", "admin"));
        gw.jira.clearReceived();
        HttpResponse<String> response = gw.get(
                "/secure/Dashboard.jspa",
                GatewayFixture.basic("admin", token.secret().reveal()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(gw.jira.received()).isEmpty();
    }

    /**
     * A token without limits may call every endpoint, but not mint a Jira personal access token:
     * that would be a credential outside tokengate, outliving the token's revocation and its audit.
     */
    @Test
    void jirasPersonalAccessTokensAreNotServedUnlessTheAdministratorSaysSo(@TempDir Path other) throws Exception {
        String unlimited = gw.basic("admin", TokenSpec.bound("unlimited", "admin", "admin"));
        gw.jira.clearReceived();

        HttpResponse<String> minted = gw.send(HttpRequest.newBuilder(gw.url("/rest/pat/latest/tokens"))
                .header("Authorization", unlimited)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"escape\",\"expirationDuration\":90}"))
                .build());

        assertThat(minted.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(minted.body()).get("message").asText())
                .isEqualTo("Not found: tokengate serves /rest/ except /rest/pat/");
        assertThat(gw.jira.received()).isEmpty();
        assertThat(gw.audited(minted.headers().firstValue("X-Request-Id").orElseThrow())
                        .orElseThrow()
                        .reason())
                .isEqualTo("outside the endpoints");

        try (GatewayFixture allowing = GatewayFixture.start(
                other, java.util.Map.of("gateway.endpoints.excluded", "none"), GatewayFixture.headerUpstream())) {
            String token = allowing.basic("admin", TokenSpec.bound("unlimited", "admin", "admin"));
            allowing.get("/rest/pat/latest/tokens", token);
            assertThat(allowing.jira.received())
                    .extracting(ReceivedRequest::rawPath)
                    .containsExactly("/rest/pat/latest/tokens");
        }
    }

    /**
     * An app in Jira the gateway does not know of may run a request as another user by a header
     * or a parameter of its own: the administrator names them, and the gateway refuses them as it
     * refuses its own, in the query and in a form body, without recording a header's value.
     */
    @Test
    void headersAndParametersTheAdministratorNamesAreRefused(@TempDir Path other) throws Exception {
        try (GatewayFixture refusing = GatewayFixture.start(
                other,
                java.util.Map.of("gateway.refused.headers", "X-Run-As", "gateway.refused.parameters", "runAs"),
                GatewayFixture.headerUpstream())) {
            String token = refusing.basic("admin", TokenSpec.bound("unlimited", "admin", "admin"));
            refusing.jira.clearReceived();

            HttpResponse<String> header = refusing.send(HttpRequest.newBuilder(refusing.url("/rest/api/2/myself"))
                    .header("Authorization", token)
                    .header("x_run_as", "bob")
                    .build());
            HttpResponse<String> query = refusing.get("/rest/api/2/myself?RUNAS=bob", token);
            HttpResponse<String> form =
                    refusing.send(HttpRequest.newBuilder(refusing.url("/rest/api/2/issue/AAA-1/comment"))
                            .header("Authorization", token)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("body=hi&runas=bob"))
                            .build());
            HttpResponse<String> other1 = refusing.get("/rest/api/2/myself?runAsUser=bob", token);

            assertThat(List.of(header.statusCode(), query.statusCode(), form.statusCode()))
                    .containsOnly(400);
            assertThat(JSON.readTree(header.body()).get("message").asText())
                    .isEqualTo("The x_run_as header is refused by this gateway (gateway.refused.headers).");
            assertThat(JSON.readTree(query.body()).get("message").asText())
                    .isEqualTo("The parameter RUNAS is refused by this gateway (gateway.refused.parameters).");
            assertThat(JSON.readTree(form.body()).get("message").asText())
                    .isEqualTo("The parameter runas is refused by this gateway in a form body"
                            + " (gateway.refused.parameters).");
            assertThat(other1.statusCode()).as("a name that only begins alike").isEqualTo(200);
            assertThat(refusing.jira.received())
                    .extracting(ReceivedRequest::rawQuery)
                    .containsExactly("runAsUser=bob");
            AuditEvent headerRecord = refusing.audited(
                            header.headers().firstValue("X-Request-Id").orElseThrow())
                    .orElseThrow();
            assertThat(headerRecord.reason()).isEqualTo("header x_run_as refused by gateway.refused.headers");
            assertThat(headerRecord.toString()).doesNotContain("bob");
        }
    }
}
