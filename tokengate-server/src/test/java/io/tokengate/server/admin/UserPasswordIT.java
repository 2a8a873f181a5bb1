package io.tokengate.server.admin;

import static io.tokengate.server.admin.AdminApiIT.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;

/**
 * Changing a local user's password over the admin API: an admin sets anyone's, a user changes
 * their own given the current one. Either way the rules of a new user's password apply, the
 * user's other sessions end, Basic credentials remembered with the old password stop working, and
 * the change is audited without the password.
 */
class UserPasswordIT {
    static final String ADMIN = "root";
    static final String ADMIN_PASSWORD = "root-password-1";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static OpenApiContract contract;
    static AdminClient admin;
    static ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
        gw = GatewayFixture.start(home, Map.of("login.max.failures", "1000"), GatewayFixture.headerUpstream());
        gw.server.localUsers().add(ADMIN, null, null, UserRole.ADMIN, ADMIN_PASSWORD.toCharArray());
        contract = new OpenApiContract();
        admin = AdminClient.basic(gw, contract, ADMIN, ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() {
        gw.close();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    @Test
    void anAdminSetsAForgottenPasswordAndTheOldOneStopsWorkingEverywhere() {
        gw.server.localUsers().add("dave", null, null, UserRole.USER, "dave-password-1".toCharArray());
        AdminClient daveScript = AdminClient.basic(gw, contract, "dave", "dave-password-1");
        assertThat(daveScript.get("/tokens").status())
                .as("signed in, and remembered")
                .isEqualTo(200);
        AdminClient daveBrowser = AdminClient.anonymous(gw, contract).signIn("dave", "dave-password-1");
        AdminClient rootBrowser = AdminClient.anonymous(gw, contract).signIn(ADMIN, ADMIN_PASSWORD);

        Reply set = rootBrowser.send("PUT", "/users/dave/password", Map.of("password", "dave-password-2"));
        assertThat(set.status()).as(set.body()).isEqualTo(204);

        assertThat(daveScript.get("/tokens").status())
                .as("the old password, though remembered")
                .isEqualTo(401);
        assertThat(daveBrowser.get("/me").status()).as("dave's session").isEqualTo(401);
        assertThat(AdminClient.anonymous(gw, contract)
                        .post("/session", Map.of("user", "dave", "password", "dave-password-1"))
                        .status())
                .isEqualTo(401);
        assertThat(AdminClient.basic(gw, contract, "dave", "dave-password-2")
                        .get("/me")
                        .status())
                .isEqualTo(200);
        assertThat(rootBrowser.get("/me").status())
                .as("the admin's own session")
                .isEqualTo(200);

        AuditEvent audited = events(AuditKind.USER_PASSWORD, "dave").get(0);
        assertThat(audited.actor()).isEqualTo(ADMIN);
        assertThat(audited.status()).isEqualTo(204);
        assertThat(audited.reason()).isEqualTo("set the password of dave; ended 1 other session");
        assertNowhere("dave-password-1", "dave-password-2");
    }

    @Test
    void anAdminSetsAPasswordUnderTheRulesOfANewUsersOnly() {
        gw.server.localUsers().add("fred", null, null, UserRole.USER, "fred-password-1".toCharArray());
        AdminClient fred = AdminClient.basic(gw, contract, "fred", "fred-password-1");

        assertField(admin.send("PUT", "/users/fred/password", Map.of("password", "short")), "password", "at least 8");
        assertField(
                admin.send("PUT", "/users/fred/password", Map.of("password", "x".repeat(1025))),
                "password",
                "at most 1024");
        assertField(admin.send("PUT", "/users/fred/password", Map.of()), "password", "is required");
        assertField(
                admin.send("PUT", "/users/fred/password", Map.of("password", "fred-password-2", "role", "admin")),
                "role",
                "unknown field");
        assertThat(admin.send("PUT", "/users/nobody/password", Map.of("password", "long enough"))
                        .status())
                .isEqualTo(404);
        Reply notAdmin = fred.send("PUT", "/users/" + ADMIN + "/password", Map.of("password", "fred-owns-root"));
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.json().get("message").asText()).contains("admins only");

        assertThat(fred.get("/me").status()).as("nothing changed").isEqualTo(200);
        assertThat(events(AuditKind.USER_PASSWORD, "fred"))
                .extracting(e -> e.decision().name() + " " + e.status())
                .containsOnly("DENY 400");
        assertThat(events(AuditKind.USER_PASSWORD, ADMIN))
                .extracting(e -> e.decision().name() + " " + e.status() + " " + e.actor())
                .containsExactly("DENY 403 fred");
        assertNowhere("fred-password-2", "fred-owns-root");
    }

    @Test
    void aUserChangesTheirOwnPasswordGivenTheCurrentOneAndKeepsOnlyThisSession() {
        gw.server.localUsers().add("erin", null, null, UserRole.USER, "erin-password-1".toCharArray());
        AdminClient here = AdminClient.anonymous(gw, contract).signIn("erin", "erin-password-1");
        AdminClient elsewhere = AdminClient.anonymous(gw, contract).signIn("erin", "erin-password-1");
        AdminClient script = AdminClient.basic(gw, contract, "erin", "erin-password-1");
        assertThat(script.get("/tokens").status()).isEqualTo(200);

        assertField(
                here.send("PUT", "/me/password", Map.of("password", "erin-password-2")),
                "currentPassword",
                "is required");
        Reply wrong = here.send(
                "PUT", "/me/password", Map.of("currentPassword", "erin-password-9", "password", "erin-password-2"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().get("field").asText()).isEqualTo("currentPassword");
        assertThat(wrong.json().get("message").asText()).isEqualTo("currentPassword: is not your current password");
        assertField(
                here.send("PUT", "/me/password", Map.of("currentPassword", "erin-password-1", "password", "short")),
                "password",
                "at least 8");
        assertThat(script.get("/tokens").status()).as("nothing changed yet").isEqualTo(200);

        Reply changed = here.send(
                "PUT", "/me/password", Map.of("currentPassword", "erin-password-1", "password", "erin-password-2"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);

        assertThat(here.get("/me").status()).as("the session it was changed in").isEqualTo(200);
        assertThat(elsewhere.get("/me").status()).as("another session").isEqualTo(401);
        assertThat(script.get("/tokens").status())
                .as("the old password, though remembered")
                .isEqualTo(401);
        assertThat(AdminClient.basic(gw, contract, "erin", "erin-password-2")
                        .get("/tokens")
                        .status())
                .isEqualTo(200);

        assertThat(events(AuditKind.USER_PASSWORD, "erin"))
                .extracting(e -> e.decision().name() + " " + e.status() + " " + e.actor())
                .containsExactly("ALLOW 204 erin", "DENY 400 erin", "DENY 403 erin", "DENY 400 erin");
        assertThat(events(AuditKind.USER_PASSWORD, "erin").get(0).reason())
                .isEqualTo("changed their own password; ended 1 other session");
        assertNowhere("erin-password-1", "erin-password-2", "erin-password-9");
    }

    /** A session left open is no way to guess its user's password: wrong guesses are throttled like sign-ins. */
    @Test
    void wrongCurrentPasswordsAreThrottledLikeSignIns(@TempDir Path throttled) {
        try (GatewayFixture small =
                GatewayFixture.start(throttled, Map.of("login.max.failures", "3"), GatewayFixture.headerUpstream())) {
            small.server.localUsers().add("gail", null, null, UserRole.USER, "gail-password-1".toCharArray());
            AdminClient gail = AdminClient.anonymous(small, contract).signIn("gail", "gail-password-1");
            for (int i = 0; i < 3; i++) {
                assertThat(gail.send(
                                        "PUT",
                                        "/me/password",
                                        Map.of("currentPassword", "guess-" + i, "password", "gail-password-2"))
                                .status())
                        .isEqualTo(403);
            }
            Reply blocked = gail.send(
                    "PUT", "/me/password", Map.of("currentPassword", "gail-password-1", "password", "gail-password-2"));
            assertThat(blocked.status()).isEqualTo(429);
            assertThat(blocked.header("Retry-After")).isPresent();
            assertThat(small.server.localUsers().authenticate("gail", "gail-password-1".toCharArray()))
                    .as("unchanged")
                    .isPresent();
        }
    }

    @Test
    void withUsersFromJiraPasswordsAreJirasToChange(@TempDir Path jiraHome) {
        try (GatewayFixture jira =
                GatewayFixture.start(jiraHome, Map.of("identity.source", "jira"), GatewayFixture.headerUpstream())) {
            jira.server.localUsers().add("hugo", null, null, UserRole.USER, "hugo-password-1".toCharArray());
            AdminClient jiraAdmin = AdminClient.anonymous(jira, contract).signIn("admin", "admin");

            Reply own = jiraAdmin.send(
                    "PUT", "/me/password", Map.of("currentPassword", "admin", "password", "admin-password-2"));
            assertThat(own.status()).isEqualTo(409);
            assertThat(own.json().get("message").asText())
                    .isEqualTo("Users come from Jira (identity.source = jira): passwords are Jira's;"
                            + " change them in Jira, not here.");
            Reply other = jiraAdmin.send("PUT", "/users/hugo/password", Map.of("password", "hugo-password-2"));
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.json().get("message").asText()).contains("identity.source = jira");
            assertThat(jira.server.localUsers().authenticate("hugo", "hugo-password-1".toCharArray()))
                    .as("unchanged")
                    .isPresent();
        }
    }

    /** The USER_PASSWORD records that concern {@code user}, newest first. */
    private static List<AuditEvent> events(AuditKind kind, String user) {
        return gw.auditEvents().stream()
                .filter(e -> e.kind() == kind && user.equals(e.effectiveUser()))
                .toList();
    }

    /** Neither the audit log nor the server's log holds any of {@code passwords}. */
    private static void assertNowhere(String... passwords) {
        String audit = gw.auditEvents().stream()
                .map(e -> e.path() + "?" + e.query() + " " + e.reason() + " " + e.basicUser())
                .toList()
                .toString();
        String logged = log.list.stream()
                .map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy())
                .toList()
                .toString();
        for (String password : passwords) {
            assertThat(audit).as("audit log").doesNotContain(password);
            assertThat(logged).as("server log").doesNotContain(password);
        }
    }
}
