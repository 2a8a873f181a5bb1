package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity.source = jira}: the data plane learns from Jira, asked as the user, who is an
 * administrator, who is in a {@code runas.groups} group, and users' e-mail addresses; so Jira
 * administrators and those groups' members may run requests as another user ({@code contextUser}),
 * and a token may be used with its user's e-mail address, with no local users at all.
 */
class JiraDirectoryIT {
    private static final Map<String, String> JIRA_MODE =
            Map.of("identity.source", "jira", "runas.groups", "Automation");

    private static HttpResponse<String> runAs(GatewayFixture gw, String auth, String user) throws Exception {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.server.dataUri() + "/rest/api/2/myself"))
                .header("Authorization", auth)
                .header("contextUser", user)
                .build());
    }

    private static String token(GatewayFixture gw, String user) {
        return GatewayFixture.basic(
                user,
                gw.createToken(TokenSpec.bound(user + "'s", user, "admin"))
                        .secret()
                        .reveal());
    }

    @Test
    void jiraAdministratorsAndRunAsGroupsMayRunAsAnotherUser(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            HttpResponse<String> asBob = runAs(gw, token(gw, "admin"), "bob");
            assertThat(asBob.statusCode()).as("a Jira administrator").isEqualTo(200);
            assertThat(asBob.body()).contains("\"name\":\"bob\"");

            assertThat(runAs(gw, token(gw, "ansible"), "alice").statusCode())
                    .as("in automation, which runas.groups names (without regard to case)")
                    .isEqualTo(200);

            String alice = token(gw, "alice");
            HttpResponse<String> refused = runAs(gw, alice, "bob");
            assertThat(refused.statusCode()).as("only in jira-users").isEqualTo(403);
            assertThat(gw.audited(refused.headers().firstValue("X-Request-Id").orElseThrow()))
                    .hasValueSatisfying(e -> assertThat(e.reason())
                            .isEqualTo("User alice may not run requests as another user (contextUser: bob)."));

            assertThat(gw.jira.received())
                    .filteredOn(r -> "alice".equals(r.effectiveUser()))
                    .as("Jira asked as alice herself")
                    .extracting(ReceivedRequest::rawPath)
                    .contains("/rest/api/2/myself", "/rest/api/2/mypermissions");

            gw.jira.clearReceived();
            assertThat(runAs(gw, alice, "bob").statusCode()).isEqualTo(403);
            assertThat(gw.jira.received())
                    .as("the answer is remembered: nothing asked again")
                    .isEmpty();
        }
    }

    /**
     * A Jira that takes connections and never answers: a request that needs its word is refused
     * (502) within the sign-in's bound, not held for the upstream's idle timeout of a minute.
     */
    @Test
    void aJiraThatDoesNotAnswerIsGivenUpOnAsASignInIs(@TempDir Path home) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = new HashMap<>(JIRA_MODE);
            settings.put("upstream.url", "http://127.0.0.1:" + silent.getLocalPort());
            settings.put("upstream.connect.timeout.ms", "1000");
            settings.put("upstream.idle.timeout.ms", "60000");
            try (GatewayFixture gw = GatewayFixture.start(home, settings, GatewayFixture.headerUpstream())) {
                long started = System.nanoTime();
                HttpResponse<String> refused = runAs(gw, token(gw, "admin"), "bob");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(refused.statusCode()).isEqualTo(502);
                assertThat(took).as("well before the idle timeout").isLessThan(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void aTokenMayBeUsedWithItsUsersEmailAddressAsJiraKnowsIt(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            String secret = gw.createToken(TokenSpec.bound("ansible's", "ansible", "admin"))
                    .secret()
                    .reveal();
            assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("ansible@ansible.jira.pl", secret))
                            .statusCode())
                    .as("the seed page's example, with no local user")
                    .isEqualTo(200);
            assertThat(gw.get("/rest/api/2/issue/AAA-1", GatewayFixture.basic("alice@example.com", secret))
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void withJiraUnreachableRunAsIsRefusedNotDecidedWithoutIt(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, JIRA_MODE, GatewayFixture.headerUpstream())) {
            String admin = token(gw, "admin");
            gw.jira.close();
            HttpResponse<String> refused = runAs(gw, admin, "bob");
            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(refused.body()).contains("Jira could not be asked about the user");
            assertThat(refused.headers().firstValue("Retry-After"))
                    .as("Jira away passes: a client that retries waits a second")
                    .contains("1");
            AuditEvent record = gw.audited(
                            refused.headers().firstValue("X-Request-Id").orElseThrow())
                    .orElseThrow();
            assertThat(record.reason()).startsWith("user lookup failed: cannot reach Jira at ");
        }
    }

    /**
     * In {@code user-credential} mode Jira is asked with the user's own stored credential. One
     * that is somebody else's (here an administrator's, pasted by mistake) makes Jira answer for
     * that somebody: the answer is not taken for the user's.
     */
    @Test
    void anAnswerAboutSomebodyElseIsNotTakenForTheUsers(@TempDir Path home) throws Exception {
        DemoJira.Options upstream = DemoJira.Options.defaults()
                .identity(Identity.userCredentials(Map.of("pat-admin", "admin", "pat-ansible", "ansible")));
        Map<String, String> settings = new java.util.HashMap<>(JIRA_MODE);
        settings.put("upstream.identity", "user-credential");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            for (String user : List.of("alice", "ansible")) {
                gw.server.localUsers().add(user, null, null, UserRole.USER, "unused-password-1".toCharArray());
            }
            gw.server.store().upstreamCredentials().set("alice", "pat-admin".toCharArray());
            gw.server.store().upstreamCredentials().set("ansible", "pat-ansible".toCharArray());

            assertThat(runAs(gw, token(gw, "ansible"), "alice").statusCode())
                    .as("asked with ansible's own credential: in automation (and alice has a credential to run as)")
                    .isEqualTo(200);
            HttpResponse<String> refused = runAs(gw, token(gw, "alice"), "ansible");
            assertThat(refused.statusCode())
                    .as("Jira answered for admin when asked as alice")
                    .isEqualTo(403);
            assertThat(gw.audited(refused.headers().firstValue("X-Request-Id").orElseThrow()))
                    .hasValueSatisfying(e -> assertThat(e.reason())
                            .as("the cause named: Jira does not know alice, not a right she lacks")
                            .isEqualTo("Cannot tell whether alice may run requests as another user (contextUser:"
                                    + " ansible): Jira does not know alice: asked as them, it answered for 'admin'"
                                    + " instead."));
        }
    }
}
