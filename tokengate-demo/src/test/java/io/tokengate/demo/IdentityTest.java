package io.tokengate.demo;

import static io.tokengate.demo.Http.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class IdentityTest {
    @Test
    void headerModeNeedsExactlyOneNonBlankValue() {
        Identity identity = Identity.header("X-User");

        assertThat(identity.authenticate(headers("X-User", " alice "))).hasValue("alice");
        assertThat(identity.authenticate(headers("x-user", "alice"))).hasValue("alice");
        assertThat(identity.authenticate(headers())).isEmpty();
        assertThat(identity.authenticate(headers("X-User", ""))).isEmpty();
        assertThat(identity.authenticate(headers("X-User", "alice", "X-User", "bob")))
                .isEmpty();
    }

    @Test
    void serviceAccountModeComparesTheWholeCredential() {
        Identity identity = Identity.serviceAccount("svc", "p:w");

        assertThat(identity.authenticate(headers("Authorization", basic("svc", "p:w"))))
                .hasValue("svc");
        assertThat(identity.authenticate(headers("Authorization", basic("svc", "p:w"), "contextUser", "bob")))
                .hasValue("bob");
        assertThat(identity.authenticate(headers("Authorization", basic("svc", "p"))))
                .isEmpty();
        assertThat(identity.authenticate(headers("Authorization", basic("SVC", "p:w"))))
                .isEmpty();
        assertThat(identity.authenticate(
                        headers("Authorization", basic("svc", "p:w"), "Authorization", basic("svc", "p:w"))))
                .isEmpty();
    }

    @Test
    void userCredentialsModeLooksTheBearerTokenUp() {
        Identity identity = Identity.userCredentials(Map.of("t1", "alice"));

        assertThat(identity.authenticate(headers("Authorization", "Bearer t1"))).hasValue("alice");
        assertThat(identity.authenticate(headers("Authorization", "BEARER   t1 ")))
                .hasValue("alice");
        assertThat(identity.authenticate(headers("Authorization", "Bearer t2"))).isEmpty();
        assertThat(identity.authenticate(headers("Authorization", "Basic t1"))).isEmpty();
    }

    @Test
    void toStringNamesTheModeButNoSecret() {
        assertThat(Identity.serviceAccount("svc", "topsecret").toString())
                .isEqualTo("Identity[service account svc]")
                .doesNotContain("topsecret");
        assertThat(Identity.userCredentials(Map.of("tok-secret", "alice")).toString())
                .doesNotContain("tok-secret");
    }

    @Test
    void directoryAuthenticatesByNameOrEmailAndResolvesUnknownNames() {
        Directory directory = new Directory(DemoJira.Options.DEFAULT_USERS);

        assertThat(directory.authenticate(headers("Authorization", basic("Admin", "admin"))))
                .hasValue("admin");
        assertThat(directory.authenticate(headers("Authorization", basic("ansible@ansible.jira.pl", "ansible"))))
                .hasValue("ansible");
        assertThat(directory.authenticate(headers("Authorization", basic("admin", "Admin"))))
                .isEmpty();
        assertThat(directory.person("ALICE@example.com").name()).isEqualTo("alice");
        assertThat(directory.person("carol"))
                .isEqualTo(new Person("carol", "carol@example.com", "carol", false, List.of("jira-users")));
        assertThat(directory.person("admin").groups()).containsExactly("jira-administrators", "jira-users");
        assertThat(directory.person("ansible").groups()).containsExactly("automation", "jira-users");
        assertThat(directory.person("dave@corp.test").email()).isEqualTo("dave@corp.test");
    }

    private static HttpFields headers(String... namesAndValues) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
