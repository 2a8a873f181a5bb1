package io.tokengate.server.admin;

import static io.tokengate.server.admin.AdminApiIT.awaitEvents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.admin.AdminClient.Reply;
import io.tokengate.store.UserRole;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser sign-in: the session cookie, CSRF and Origin checks, sign-out, and where sessions live. */
class AdminSessionIT {
    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password".toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, "root", "root-password");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken() {
        Reply reply = AdminClient.anonymous(gw, contract)
                .post("/session", Map.of("user", "alice", "password", "alice-password"));
        assertThat(reply.status()).isEqualTo(200);
        String cookie = reply.setCookie(Sessions.COOKIE).orElseThrow();
        assertThat(cookie)
                .contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict")
                .contains("Path=/")
                .as("plain http admin URL: not Secure")
                .doesNotContain("Secure");
        assertThat(reply.json().get("role").asText()).isEqualTo("user");
        assertThat(reply.json().get("csrfToken").asText()).isNotBlank();
        assertThat(reply.body())
                .doesNotContain("alice-password")
                .doesNotContain(reply.cookie(Sessions.COOKIE).get());

        AdminClient session = AdminClient.anonymous(gw, contract)
                .with(
                        "Cookie",
                        Sessions.COOKIE + "=" + reply.cookie(Sessions.COOKIE).get());
        Reply me = session.get("/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("name").asText()).isEqualTo("alice");
        assertThat(me.json().get("csrfToken").asText())
                .isEqualTo(reply.json().get("csrfToken").asText());
    }

    @Test
    void cookieRequestsThatChangeSomethingNeedTheCsrfToken() {
        AdminClient session = AdminClient.anonymous(gw, contract).signIn("alice", "alice-password");
        Map<String, Object> token = Map.of("name", "from the browser", "user", "alice");

        Reply missing = session.without(Sessions.CSRF_HEADER).post("/tokens", token);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.json().get("message").asText()).contains("X-CSRF-Token");
        Reply wrong = session.with(Sessions.CSRF_HEADER, "not-the-token").post("/tokens", token);
        assertThat(wrong.status()).isEqualTo(403);
        AdminClient other = AdminClient.anonymous(gw, contract).signIn("alice", "alice-password");
        Reply otherSessions = session.with(Sessions.CSRF_HEADER, "x")
                .without(Sessions.CSRF_HEADER)
                .with(Sessions.CSRF_HEADER, csrfOf(other))
                .post("/tokens", token);
        assertThat(otherSessions.status()).as("a token belongs to its session").isEqualTo(403);
        assertThat(admin.get("/tokens?user=alice&name=from%20the%20browser")
                        .json()
                        .get("total")
                        .asInt())
                .as("nothing was created")
                .isZero();

        assertThat(session.without(Sessions.CSRF_HEADER).get("/tokens").status())
                .as("reading needs no CSRF token")
                .isEqualTo(200);
        Reply created = session.post("/tokens", token);
        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void aForeignOriginCannotChangeAnythingEvenWithCredentials() {
        AdminClient session = AdminClient.anonymous(gw, contract).signIn("alice", "alice-password");
        Map<String, Object> token = Map.of("name", "cross-site", "user", "alice");
        Reply evil = session.with("Origin", "https://evil.example").post("/tokens", token);
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.json().get("message").asText()).contains("Origin https://evil.example");
        Reply basicEvil = admin.with("Origin", "https://evil.example").post("/tokens", token);
        assertThat(basicEvil.status())
                .as("browsers replay cached Basic credentials too")
                .isEqualTo(403);
        Reply crossSite = admin.with("Sec-Fetch-Site", "cross-site").post("/tokens", token);
        assertThat(crossSite.status()).isEqualTo(403);
        String id = admin.post("/tokens", Map.of("name", "shown?", "user", "alice"))
                .json()
                .get("id")
                .asText();
        Reply crossSiteReveal = admin.with("Sec-Fetch-Site", "cross-site").get("/tokens/" + id + "/secret");
        assertThat(crossSiteReveal.status())
                .as("a read that is an action (audited: secret shown), from another site's page")
                .isEqualTo(403);
        assertThat(admin.with("Sec-Fetch-Site", "cross-site")
                        .get("/tokens/" + id + "/snippets")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/audit?kind=TOKEN_REVEAL&token=" + id).json().get("events"))
                .as("no secret-shown record from the refused reads")
                .isEmpty();
        assertThat(admin.with("Sec-Fetch-Site", "same-origin")
                        .get("/tokens/" + id + "/secret")
                        .status())
                .isEqualTo(200);
        Reply loginCsrf = AdminClient.anonymous(gw, contract)
                .with("Origin", "https://evil.example")
                .post("/session", Map.of("user", "alice", "password", "alice-password"));
        assertThat(loginCsrf.status()).isEqualTo(403);

        String own = gw.server.adminUri().toString();
        assertThat(session.with("Origin", own).post("/tokens", token).status()).isEqualTo(201);
    }

    /**
     * DNS rebinding: a page from a name its attacker has pointed at 127.0.0.1 is of the same
     * origin as the admin plane, to the browser; only the name in Host gives it away.
     */
    @Test
    void aNameThatIsNotTheAdminPlanesIsRefusedWhateverTheOrigin() throws Exception {
        int port = gw.server.adminUri().getPort();
        String rebound = "rebind.attacker.test:" + port;
        String body = "{\"user\":\"root\",\"password\":\"root-password\"}";
        String signIn = gw.rawAdmin("POST /api/v1/session HTTP/1.1\r\nHost: " + rebound + "\r\nOrigin: http://"
                + rebound + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(signIn)
                .startsWith("HTTP/1.1 421 ")
                .doesNotContain("Set-Cookie")
                .contains("admin.allowed.hosts");
        assertThat(gw.rawAdmin("GET /metrics HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 421 ");
        assertThat(gw.rawAdmin("GET /api/v1/me HTTP/1.1\r\nHost: " + rebound
                        + "\r\nAuthorization: Basic cm9vdDpyb290LXBhc3N3b3Jk\r\nConnection: close\r\n\r\n"))
                .as("Basic credentials the browser cached for the name")
                .startsWith("HTTP/1.1 421 ");
        assertThat(gw.rawAdmin("GET /health/ready HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n"))
                .as("a probe may use any name")
                .startsWith("HTTP/1.1 200 ");
        for (String own : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost")) {
            assertThat(gw.rawAdmin("GET /api/v1/me HTTP/1.1\r\nHost: " + own
                            + "\r\nAuthorization: Basic cm9vdDpyb290LXBhc3N3b3Jk\r\nConnection: close\r\n\r\n"))
                    .as(own)
                    .startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void signOutEndsTheSessionOnTheServer() {
        Reply signIn = AdminClient.anonymous(gw, contract)
                .post("/session", Map.of("user", "alice", "password", "alice-password"));
        String cookie = signIn.cookie(Sessions.COOKIE).orElseThrow();
        AdminClient session = AdminClient.anonymous(gw, contract)
                .with("Cookie", Sessions.COOKIE + "=" + cookie)
                .with(Sessions.CSRF_HEADER, signIn.json().get("csrfToken").asText());
        assertThat(session.without(Sessions.CSRF_HEADER).delete("/session").status())
                .as("signing out needs the CSRF token too")
                .isEqualTo(403);
        Reply out = session.delete("/session");
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.setCookie(Sessions.COOKIE))
                .get()
                .asString()
                .as("the browser is told to forget the cookie")
                .matches(".*(Max-Age=0|Expires=Thu, 01 Jan 1970).*");
        Reply after = session.get("/me");
        assertThat(after.status())
                .as("the old cookie is dead, not just forgotten")
                .isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).isPresent();
        Reply browser = AdminClient.anonymous(gw, contract)
                .with("Sec-Fetch-Mode", "cors")
                .get("/me");
        assertThat(browser.header("WWW-Authenticate"))
                .as("no Basic challenge for the web UI's fetches: no password dialog")
                .get()
                .asString()
                .startsWith("Session");
        Reply plainHttp = AdminClient.anonymous(gw, contract)
                .with("X-Requested-With", "tokengate-ui")
                .get("/me");
        assertThat(plainHttp.header("WWW-Authenticate"))
                .as("browsers send no Sec-Fetch-Mode over plain http to a name other than localhost;"
                        + " the web UI says who it is")
                .get()
                .asString()
                .startsWith("Session");
    }

    @Test
    void sessionsLiveInTheDatabaseOnlyAsDigests() throws Exception {
        Reply signIn = AdminClient.anonymous(gw, contract)
                .post("/session", Map.of("user", "root", "password", "root-password"));
        String cookie = signIn.cookie(Sessions.COOKIE).orElseThrow();
        List<String> stored = new ArrayList<>();
        // The server's own URL: H2 shares an open database between connections that name it alike.
        String url =
                "jdbc:h2:retry:" + home.resolve("data").resolve("tokengate").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id_digest, user_name FROM admin_sessions")) {
            while (rs.next()) {
                stored.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertThat(stored).contains(Sessions.digest(cookie) + " root");
        assertThat(String.join("\n", stored)).doesNotContain(cookie);
    }

    @Test
    void signInsAreAudited() {
        AdminClient.anonymous(gw, contract).signIn("root", "root-password");
        Reply failed =
                AdminClient.anonymous(gw, contract).post("/session", Map.of("user", "alice", "password", "guess-1"));
        assertThat(failed.status()).isEqualTo(401);
        assertThat(failed.body()).doesNotContain("guess-1");
        List<JsonNode> logins = awaitEvents(admin, "/audit?kind=LOGIN&user=root", 1);
        assertThat(logins.get(0).get("decision").asText()).isEqualTo("ALLOW");
        List<JsonNode> failures = awaitEvents(admin, "/audit?kind=LOGIN_FAILED&user=alice", 1);
        assertThat(failures.get(0).get("decision").asText()).isEqualTo("DENY");
        assertThat(failures.get(0).get("status").asInt()).isEqualTo(401);
        assertThat(failures.get(0).get("basicUser").asText()).isEqualTo("alice");
        assertThat(failures.toString()).doesNotContain("guess-1");
        assertThat(AdminClient.anonymous(gw, contract)
                        .post("/session", Map.of("user", "alice"))
                        .json()
                        .get("field")
                        .asText())
                .isEqualTo("password");
    }

    private static String csrfOf(AdminClient client) {
        return client.get("/me").json().get("csrfToken").asText();
    }
}
