package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the upstream learns who a request runs as, and what else crosses the gateway: the {@code
 * service-account} mode against an upstream with a context path, the {@code header} mode with a
 * custom header name, {@code auth.schemes = basic}, and upstream cookies that must stay upstream.
 */
class UpstreamIdentityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_USER = "svc-tokengate";
    private static final String SERVICE_PASSWORD = "svc-password-1";

    @TempDir
    Path home;

    @Test
    void serviceAccountModeAuthenticatesAsTheServiceAndNamesTheUserInContextUser() throws Exception {
        DemoJira.Options jira = DemoJira.Options.defaults()
                .contextPath("/jira")
                .identity(Identity.serviceAccount(SERVICE_USER, SERVICE_PASSWORD));
        Map<String, String> settings = Map.of(
                "upstream.identity", "service-account",
                "upstream.service.user", SERVICE_USER,
                "upstream.service.password", SERVICE_PASSWORD);
        try (GatewayFixture gw = GatewayFixture.start(home, settings, jira)) {
            gw.addUser("admin", "admin@example.com", UserRole.ADMIN);
            gw.addUser("alice", "alice@example.com", UserRole.USER);
            String alice = gw.basic("alice", TokenSpec.bound("alice", "alice", "admin"));
            String admin = gw.basic("admin", TokenSpec.bound("admin", "admin", "admin"));
            String service = GatewayFixture.basic(SERVICE_USER, SERVICE_PASSWORD);

            HttpResponse<String> myself = gw.get("/rest/api/2/myself", alice);
            assertThat(myself.statusCode()).as(myself.body()).isEqualTo(200);
            assertThat(JSON.readTree(myself.body()).path("name").asText()).isEqualTo("alice");
            ReceivedRequest seen = last(gw);
            assertThat(seen.rawPath()).isEqualTo("/jira/rest/api/2/myself");
            assertThat(seen.headerValues("Authorization")).containsExactly(service);
            assertThat(seen.headerValues("contextUser")).containsExactly("alice");

            HttpResponse<String> search = gw.get("/rest/api/2/search?jql=project%20%3D%20JRA&maxResults=1", alice);
            assertThat(search.statusCode()).isEqualTo(200);
            assertThat(last(gw).rawTarget()).isEqualTo("/jira/rest/api/2/search?jql=project%20%3D%20JRA&maxResults=1");

            HttpResponse<String> comment = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/issue/JRA-1/comment"))
                    .header("Authorization", alice)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"via the service account\"}"))
                    .build());
            assertThat(comment.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(comment.body()).at("/author/name").asText())
                    .isEqualTo("alice");

            List<String> claims = List.of(
                    "Remote-User",
                    "X-Remote-User",
                    "X-Auth-Request-User",
                    "X-Auth-Request-Email",
                    "X-Forwarded-User",
                    "X-Forwarded-Email",
                    "X-Forwarded-Ssl",
                    "Front-End-Https",
                    "True-Client-IP",
                    "X-Client-IP",
                    "X-Cluster-Client-IP");
            HttpRequest.Builder claiming = HttpRequest.newBuilder(gw.url("/rest/api/2/myself"))
                    .header("Authorization", alice)
                    .header("X-Kept", "an ordinary header");
            claims.forEach(name -> claiming.header(name, "admin"));
            assertThat(gw.send(claiming.build()).statusCode()).isEqualTo(200);
            ReceivedRequest claimed = last(gw);
            assertThat(claims)
                    .as("what SSO proxies and load balancers tell their back ends, never the client's word")
                    .allSatisfy(name ->
                            assertThat(claimed.headerValues(name)).as(name).isEmpty());
            assertThat(claimed.headerValues("X-Kept")).containsExactly("an ordinary header");

            HttpResponse<String> runAs = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/myself"))
                    .header("Authorization", admin)
                    .header("contextUser", "bob")
                    .build());
            assertThat(runAs.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(runAs.body()).path("name").asText()).isEqualTo("bob");
            assertThat(last(gw).headerValues("contextUser")).containsExactly("bob");
            AuditEvent event = gw.audited(
                            runAs.headers().firstValue("X-Request-Id").orElseThrow())
                    .orElseThrow();
            assertThat(event.basicUser()).isEqualTo("admin");
            assertThat(event.effectiveUser()).isEqualTo("bob");
        }
    }

    @Test
    void withBasicOnlyABearerTokenIsRefusedLikeAnyBadCredential() throws Exception {
        try (GatewayFixture gw =
                GatewayFixture.start(home, Map.of("auth.schemes", "basic"), GatewayFixture.headerUpstream())) {
            String secret = gw.createToken(TokenSpec.bound("basic only", "alice", "admin"))
                    .secret()
                    .reveal();
            HttpResponse<String> bearer = gw.get("/rest/api/2/myself", "Bearer " + secret);
            assertThat(bearer.statusCode()).isEqualTo(401);
            assertThat(bearer.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
            assertThat(gw.audited(bearer.headers().firstValue("X-Request-Id").orElseThrow())
                            .orElseThrow()
                            .reason())
                    .isEqualTo("Bearer authentication is disabled");
            assertThat(gw.jira.received()).isEmpty();
            assertThat(gw.get("/rest/api/2/myself", GatewayFixture.basic("alice", secret))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    /**
     * An upstream that sets cookies and names the user in a custom header: the cookies (a session
     * of the gateway's identity upstream), the headers its {@code Connection} header names (meant for
     * the gateway only) and its own request id never reach the client, and the client can neither set
     * the custom identity header nor any spelling of it.
     */
    @Test
    void upstreamCookiesStayUpstreamAndACustomIdentityHeaderCannotBeSpoofed() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            ObjectNode seen = JSON.createObjectNode();
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name, String.join(",", values)));
            byte[] body = JSON.writeValueAsBytes(seen);
            exchange.getResponseHeaders().add("Set-Cookie", "JSESSIONID=upstream-session; Path=/; HttpOnly");
            exchange.getResponseHeaders().add("Set-Cookie", "atlassian.xsrf.token=abc; Path=/");
            exchange.getResponseHeaders().add("Set-Cookie2", "legacy=1");
            exchange.getResponseHeaders().add("X-Upstream", "yes");
            // hop-by-hop by the upstream's word (RFC 9110 7.6.1): for the gateway, not the client
            exchange.getResponseHeaders().add("Connection", "X-Upstream-Hop, X-Request-Id");
            exchange.getResponseHeaders().add("X-Upstream-Hop", "between upstream and gateway");
            exchange.getResponseHeaders().add("x-request-id", "upstream-1"); // sent as X-request-id
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        try (GatewayFixture gw = GatewayFixture.start(
                home,
                Map.of(
                        "upstream.url",
                        "http://127.0.0.1:" + upstream.getAddress().getPort(),
                        "upstream.identity.header",
                        "X-Remote-User"),
                GatewayFixture.headerUpstream())) {
            String alice = gw.basic("alice", TokenSpec.bound("cookies", "alice", "admin"));
            HttpResponse<String> response = gw.get("/rest/api/2/myself", alice);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(response.headers().allValues("Set-Cookie2")).isEmpty();
            assertThat(response.headers().firstValue("X-Upstream")).contains("yes");
            assertThat(response.headers().firstValue("X-Upstream-Hop"))
                    .as("named in the upstream's Connection header")
                    .isEmpty();
            assertThat(response.headers().allValues("X-Request-Id"))
                    .as("the gateway's request id only, never the upstream's")
                    .hasSize(1)
                    .doesNotContain("upstream-1");
            JsonNode seen = JSON.readTree(response.body());
            assertThat(seen.path("X-remote-user").asText()).isEqualTo("alice");
            assertThat(seen.has("Authorization")).isFalse();

            for (String spoof : List.of("X-Remote-User", "x-remote-user", "X_Remote_User")) {
                HttpResponse<String> refused = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/myself"))
                        .header("Authorization", alice)
                        .header(spoof, "admin")
                        .build());
                assertThat(refused.statusCode()).as(spoof).isEqualTo(400);
                assertThat(refused.body()).contains("only tokengate sets it");
            }
        } finally {
            upstream.stop(0);
        }
    }

    private static ReceivedRequest last(GatewayFixture gw) {
        List<ReceivedRequest> received = gw.jira.received();
        assertThat(received).isNotEmpty();
        return received.get(received.size() - 1);
    }
}
