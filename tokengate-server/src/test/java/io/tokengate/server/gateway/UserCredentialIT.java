package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.demo.ReceivedRequest;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upstream.identity = user-credential}: a user stores their own Jira personal access token
 * once, and their tokengate tokens become restricted, revocable stand-ins for it.
 */
class UserCredentialIT {
    private static final String ALICE_PAT = "pat-alice-0123456789";
    private static final String BOB_PAT = "pat-bob-9876543210";

    @Test
    void tokensStandInForTheUsersOwnUpstreamCredential(@TempDir Path home) throws Exception {
        DemoJira.Options upstream = DemoJira.Options.defaults()
                .identity(Identity.userCredentials(Map.of(ALICE_PAT, "alice", BOB_PAT, "bob")));
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of("upstream.identity", "user-credential"), upstream)) {
            gw.server.localUsers().add("alice", null, null, UserRole.USER, "alice-password-1".toCharArray());
            gw.server.localUsers().add("bob", null, null, UserRole.USER, "bob-password-1".toCharArray());
            gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password-1".toCharArray());

            String alice = gw.createToken(TokenSpec.bound("alice's", "alice", "root"))
                    .secret()
                    .reveal();
            String bob = gw.createToken(TokenSpec.bound("bob's", "bob", "root"))
                    .secret()
                    .reveal();
            assertThat(gw.get("/rest/api/2/myself", GatewayFixture.basic("bob", bob))
                            .statusCode())
                    .as("no credential stored for bob yet")
                    .isEqualTo(403);

            assertThat(putCredential(gw, "/me/upstream-credential", "alice", "alice-password-1", ALICE_PAT))
                    .isEqualTo(204);
            assertThat(putCredential(gw, "/users/bob/upstream-credential", "alice", "alice-password-1", BOB_PAT))
                    .as("a user cannot set another's")
                    .isEqualTo(403);
            assertThat(putCredential(gw, "/users/bob/upstream-credential", "root", "root-password-1", BOB_PAT))
                    .isEqualTo(204);

            gw.jira.clearReceived();
            HttpResponse<String> asAlice = gw.get("/rest/api/2/myself", GatewayFixture.basic("alice", alice));
            assertThat(asAlice.statusCode()).isEqualTo(200);
            assertThat(asAlice.body()).contains("\"name\":\"alice\"");
            ReceivedRequest seen = gw.jira.received().get(0);
            assertThat(seen.header("Authorization")).contains("Bearer " + ALICE_PAT);
            assertThat(seen.header("X-Forwarded-User")).isEmpty();
            assertThat(seen.header("contextUser")).isEmpty();
            assertThat(gw.get("/rest/api/2/myself", GatewayFixture.basic("bob", bob))
                            .body())
                    .contains("\"name\":\"bob\"");

            for (AuditEvent event : gw.auditEvents()) {
                assertThat(String.valueOf(event)).doesNotContain(ALICE_PAT).doesNotContain(BOB_PAT);
                assertThat(String.valueOf(event.reason()))
                        .doesNotContain(ALICE_PAT)
                        .doesNotContain(BOB_PAT);
            }
            assertThat(gw.auditEvents())
                    .anySatisfy(e -> assertThat(e.reason()).isEqualTo("upstream credential stored for alice"));
        }
    }

    /**
     * With {@code identity.source = jira}, Jira says whose a credential is before it is stored: one
     * of somebody else's would have Jira act as them for the user's tokens, audited as the user's.
     * Checked so, an admin may store one for a Jira user who never signed in here (a CI account).
     */
    @Test
    void inJiraModeOnlyTheUsersOwnCredentialIsStored(@TempDir Path home) throws Exception {
        DemoJira.Options upstream = DemoJira.Options.defaults()
                .identity(Identity.userCredentials(Map.of(ALICE_PAT, "alice", BOB_PAT, "bob")));
        Map<String, String> settings = Map.of("identity.source", "jira", "upstream.identity", "user-credential");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, upstream)) {
            assertThat(putCredential(gw, "/me/upstream-credential", "bob", "bob", ALICE_PAT))
                    .as("alice's, not bob's")
                    .isEqualTo(400);
            assertThat(putCredential(gw, "/me/upstream-credential", "bob", "bob", "pat-revoked-0123"))
                    .as("refused by Jira")
                    .isEqualTo(400);
            assertThat(putCredential(gw, "/users/alice/upstream-credential", "admin", "admin", BOB_PAT))
                    .isEqualTo(400);
            assertThat(gw.server.store().users().find("bob"))
                    .as("nothing stored")
                    .isEmpty();

            assertThat(putCredential(gw, "/users/alice/upstream-credential", "admin", "admin", ALICE_PAT))
                    .as("alice never signed in here")
                    .isEqualTo(204);
            String alice = gw.createToken(TokenSpec.bound("alice's", "alice", "admin"))
                    .secret()
                    .reveal();
            HttpResponse<String> asAlice = gw.get("/rest/api/2/myself", GatewayFixture.basic("alice", alice));
            assertThat(asAlice.statusCode()).isEqualTo(200);
            assertThat(asAlice.body()).contains("\"name\":\"alice\"");
            assertThat(gw.auditEvents()).allSatisfy(e -> assertThat(String.valueOf(e))
                    .doesNotContain(ALICE_PAT)
                    .doesNotContain(BOB_PAT));
        }
    }

    private static int putCredential(GatewayFixture gw, String path, String user, String password, String credential)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1" + path))
                .header("Authorization", GatewayFixture.basic(user, password))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"credential\":\"" + credential + "\"}"))
                .build();
        return gw.send(request).statusCode();
    }
}
