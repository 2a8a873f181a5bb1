package io.tokengate.demo;

import static io.tokengate.demo.Http.basic;
import static io.tokengate.demo.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each identity mode over real HTTP: who the demo takes the caller for, and when it says 401. */
class IdentityIT {
    private static final String MYSELF = "/rest/api/2/myself";
    private static final String UNAUTHENTICATED =
            "{\"errorMessages\":[\"You are not authenticated. Authentication required to perform this operation.\"],"
                    + "\"errors\":{}}";

    @Test
    void headerModeTrustsTheHeaderAndRejectsItsAbsence() {
        try (DemoJira jira = start(Identity.header("X-Forwarded-User"))) {
            Http http = new Http(jira.baseUri());

            assertThat(user(http.get(MYSELF, "X-Forwarded-User", "alice"))).isEqualTo("alice");
            assertThat(user(http.get(MYSELF, "x-forwarded-user", "ALICE@example.com")))
                    .isEqualTo("alice");
            assertUnauthorized(http.get(MYSELF));
            assertUnauthorized(http.get(MYSELF, "X-Forwarded-User", " "));
            assertUnauthorized(http.get(MYSELF, "X-Forwarded-User", "alice", "X-Forwarded-User", "admin"));
            assertUnauthorized(http.get(MYSELF, "X-Remote-User", "alice"));
        }
    }

    @Test
    void headerModeWithAnotherHeaderIgnoresTheDefaultOne() {
        try (DemoJira jira = start(Identity.header("X-Remote-User"))) {
            Http http = new Http(jira.baseUri());

            assertThat(user(http.get(MYSELF, "X-Remote-User", "bob"))).isEqualTo("bob");
            assertUnauthorized(http.get(MYSELF, "X-Forwarded-User", "bob"));
        }
    }

    @Test
    void serviceAccountModeRunsAsContextUserOrAsItself() {
        try (DemoJira jira = start(Identity.serviceAccount("svc-gateway", "s3cret"))) {
            Http http = new Http(jira.baseUri());
            String service = basic("svc-gateway", "s3cret");

            assertThat(user(http.get(MYSELF, "Authorization", service))).isEqualTo("svc-gateway");
            assertThat(user(http.get(MYSELF, "Authorization", service, "contextUser", "alice")))
                    .isEqualTo("alice");
            assertThat(user(http.get(MYSELF, "Authorization", service, "contextUser", "ansible@ansible.jira.pl")))
                    .isEqualTo("ansible");
            assertThat(json(http.get("/rest/api/2/issue/ISSUE-1", "Authorization", service, "contextUser", "bob"))
                            .path("key")
                            .asText())
                    .isEqualTo("ISSUE-1");

            assertUnauthorized(http.get(MYSELF, "Authorization", basic("svc-gateway", "wrong")));
            assertUnauthorized(http.get(MYSELF, "Authorization", basic("svc-gateway", "wrong"), "contextUser", "bob"));
            assertUnauthorized(http.get(MYSELF, "contextUser", "alice"));
            assertUnauthorized(http.get(MYSELF, "X-Forwarded-User", "alice"));
            assertUnauthorized(http.get(MYSELF, "Authorization", "Bearer s3cret"));
        }
    }

    @Test
    void serviceAccountModeCommentsAsTheContextUser() {
        try (DemoJira jira = start(Identity.serviceAccount("svc", "pw"))) {
            HttpResponse<String> response = new Http(jira.baseUri())
                    .post(
                            "/rest/api/2/issue/KANBAN-100/comment",
                            "{\"body\":\"deployed\"}",
                            "Authorization",
                            basic("svc", "pw"),
                            "contextUser",
                            "ansible");

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(json(response).path("author").path("name").asText()).isEqualTo("ansible");
        }
    }

    @Test
    void userCredentialsModeMapsPersonalAccessTokensToUsers() {
        try (DemoJira jira = start(Identity.userCredentials(Map.of("pat-alice", "alice", "pat-bob", "bob")))) {
            Http http = new Http(jira.baseUri());

            assertThat(user(http.get(MYSELF, "Authorization", "Bearer pat-alice")))
                    .isEqualTo("alice");
            assertThat(user(http.get(MYSELF, "Authorization", "bearer pat-bob")))
                    .isEqualTo("bob");
            assertUnauthorized(http.get(MYSELF, "Authorization", "Bearer pat-carol"));
            assertUnauthorized(http.get(MYSELF, "Authorization", "Bearer"));
            assertUnauthorized(http.get(MYSELF));
            assertUnauthorized(http.get(MYSELF, "X-Forwarded-User", "alice"));
        }
    }

    @Test
    void everyModeAlsoAcceptsDirectoryPasswordsAsJiraDoes() {
        for (Identity identity : new Identity[] {
            Identity.header(Identity.DEFAULT_HEADER),
            Identity.serviceAccount("svc", "pw"),
            Identity.userCredentials(Map.of("pat", "alice"))
        }) {
            try (DemoJira jira = start(identity)) {
                Http http = new Http(jira.baseUri());

                assertThat(user(http.get(MYSELF, "Authorization", basic("admin", "admin"))))
                        .as(identity.toString())
                        .isEqualTo("admin");
                assertThat(user(http.get(MYSELF, "Authorization", basic("ansible@ansible.jira.pl", "ansible"))))
                        .as(identity.toString())
                        .isEqualTo("ansible");
                assertUnauthorized(http.get(MYSELF, "Authorization", basic("admin", "wrong")));
                assertUnauthorized(http.get(MYSELF, "Authorization", basic("carol", "carol")));
                assertUnauthorized(http.get(MYSELF, "Authorization", "Basic not-base64!"));
            }
        }
    }

    @Test
    void theDirectoryIsConfigurable() {
        DemoUser carol = new DemoUser("carol", "c4rol", "carol@corp.test", "Carol Chen", true);
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults().addUser(carol))) {
            Http http = new Http(jira.baseUri());

            HttpResponse<String> myself = http.get(MYSELF, "Authorization", basic("carol", "c4rol"));
            assertThat(json(myself).path("displayName").asText()).isEqualTo("Carol Chen");
            assertThat(json(myself).path("emailAddress").asText()).isEqualTo("carol@corp.test");
            assertThat(json(http.get(
                                    "/rest/api/2/mypermissions?permissions=ADMINISTER",
                                    "Authorization",
                                    basic("carol", "c4rol")))
                            .path("permissions")
                            .path("ADMINISTER")
                            .path("havePermission")
                            .asBoolean())
                    .isTrue();
        }
        try (DemoJira jira = DemoJira.start(DemoJira.Options.defaults().users(java.util.List.of(carol)))) {
            assertUnauthorized(new Http(jira.baseUri()).get(MYSELF, "Authorization", basic("admin", "admin")));
        }
    }

    /**
     * A deactivated user, as in Jira: refused in every mode (header, contextUser, personal access
     * token, password) with the same 401 as a deleted one, but {@code /rest/api/2/user} still
     * shows them, inactive; a deleted user is 404 there. {@code putUser} activates them again.
     */
    @Test
    void aDeactivatedUserIsRefusedEverywhereButStillShownInactive() {
        String svc = basic("svc", "pw");
        try (DemoJira jira =
                        DemoJira.start(DemoJira.Options.defaults().identity(Identity.serviceAccount("svc", "pw")));
                DemoJira pats = start(Identity.userCredentials(Map.of("pat-bob", "bob")))) {
            Http http = new Http(jira.baseUri());
            jira.deactivateUser("bob");
            pats.deactivateUser("bob");
            jira.removeUser("alice");

            assertUnauthorized(http.get(MYSELF, "Authorization", svc, "contextUser", "bob"));
            assertUnauthorized(http.get(MYSELF, "Authorization", svc, "contextUser", "bob@example.com"));
            assertUnauthorized(http.get(MYSELF, "Authorization", basic("bob", "bob")));
            assertUnauthorized(new Http(pats.baseUri()).get(MYSELF, "Authorization", "Bearer pat-bob"));

            HttpResponse<String> bob = http.get("/rest/api/2/user?username=bob", "Authorization", svc);
            assertThat(bob.statusCode()).isEqualTo(200);
            assertThat(json(bob).path("name").asText()).isEqualTo("bob");
            assertThat(json(bob).path("active").asBoolean(true)).isFalse();
            assertThat(json(http.get("/rest/api/2/user?username=admin", "Authorization", svc))
                            .path("active")
                            .asBoolean(false))
                    .isTrue();
            HttpResponse<String> alice = http.get("/rest/api/2/user?username=alice", "Authorization", svc);
            assertThat(alice.statusCode()).isEqualTo(404);
            assertThat(alice.body())
                    .isEqualTo("{\"errorMessages\":[\"The user named 'alice' does not exist\"],\"errors\":{}}");
            assertUnauthorized(http.get("/rest/api/2/user?username=bob"));

            jira.putUser(new DemoUser("bob", "bob", "bob@example.com", "Bob Builder", false));
            assertThat(user(http.get(MYSELF, "Authorization", svc, "contextUser", "bob")))
                    .isEqualTo("bob");
        }
    }

    @Test
    void unauthenticatedRequestsOutsideRestAreStill404() {
        try (DemoJira jira = start(Identity.header(Identity.DEFAULT_HEADER))) {
            assertThat(new Http(jira.baseUri()).get("/index.html").statusCode()).isEqualTo(404);
        }
    }

    private static DemoJira start(Identity identity) {
        return DemoJira.start(DemoJira.Options.defaults().identity(identity));
    }

    private static String user(HttpResponse<String> myself) {
        assertThat(myself.statusCode()).as(myself.body()).isEqualTo(200);
        return json(myself).path("name").asText();
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"demo\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        assertThat(response.body()).isEqualTo(UNAUTHENTICATED);
    }
}
