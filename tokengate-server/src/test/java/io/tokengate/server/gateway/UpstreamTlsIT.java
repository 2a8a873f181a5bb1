package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.TestCertificates;
import io.tokengate.server.config.ConfigProblems;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upstream.tls.ca}: a Jira whose certificate the JVM does not trust (its own, or a company
 * CA's) is reached with the certificates the operator names, for forwarded requests and for
 * sign-in in Jira mode; without them it is not reached at all.
 */
class UpstreamTlsIT {
    private static final String PASSWORD = "jira-keystore-1";

    @TempDir
    static Path keys;

    static KeyStore jiraKeys;
    static String jiraPem;
    static String expiredPem;

    @BeforeAll
    static void makeCertificates() throws Exception {
        jiraKeys = keytool("jira.p12", "-validity", "2");
        jiraPem = pem(jiraKeys);
        expiredPem = pem(keytool("expired.p12", "-startdate", "-10d", "-validity", "1"));
    }

    /** A self-signed certificate for 127.0.0.1. */
    private static KeyStore keytool(String file, String... validity) throws Exception {
        Path keystore = TestCertificates.keytool(
                keys.resolve(file),
                PASSWORD,
                "jira",
                "CN=jira.example.com",
                "SAN=dns:localhost,ip:127.0.0.1",
                validity);
        return KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
    }

    private static String pem(KeyStore store) throws Exception {
        return TestCertificates.pem(store, "jira");
    }

    private static DemoJira.Options jiraOverTls() {
        return DemoJira.Options.defaults().tls(jiraKeys, PASSWORD);
    }

    private static Map<String, String> trusting(Path home, String pem) throws Exception {
        Files.writeString(home.resolve("jira-ca.pem"), pem);
        return Map.of("upstream.tls.ca", "jira-ca.pem");
    }

    @Test
    void requestsReachAJiraWithItsOwnCertificateThroughUpstreamTlsCa(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, trusting(home, jiraPem), jiraOverTls())) {
            assertThat(gw.jira.baseUri().getScheme()).isEqualTo("https");
            String auth = gw.basic("alice", TokenSpec.bound("tls upstream", "alice", "admin"));
            HttpResponse<String> response = gw.get("/rest/api/2/issue/AAA-1", auth);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(gw.jira.received()).hasSize(1);
        }
    }

    @Test
    void withoutItThatJiraIsNotTrustedAndNothingReachesIt(@TempDir Path home) throws Exception {
        try (GatewayFixture gw = GatewayFixture.start(home, Map.of(), jiraOverTls())) {
            String auth = gw.basic("alice", TokenSpec.bound("untrusted", "alice", "admin"));
            assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(502);
            assertThat(gw.jira.received()).isEmpty();
        }
    }

    @Test
    void jiraSignInUsesTheSameCertificates(@TempDir Path home) throws Exception {
        Map<String, String> settings = new HashMap<>(trusting(home, jiraPem));
        settings.put("identity.source", "jira");
        try (GatewayFixture gw = GatewayFixture.start(home, settings, jiraOverTls())) {
            assertThat(me(gw).statusCode()).isEqualTo(200);
        }
        Path untrusting = home.resolve("untrusting");
        try (GatewayFixture gw = GatewayFixture.start(untrusting, Map.of("identity.source", "jira"), jiraOverTls())) {
            HttpResponse<String> refused = me(gw);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("Cannot check credentials now");
        }
    }

    private static HttpResponse<String> me(GatewayFixture gw) throws Exception {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/api/v1/me"))
                .header("Authorization", GatewayFixture.basic("admin", "admin"))
                .build());
    }

    @Test
    void aFileThatGivesNoCertificateToTrustStopsTheConfiguration(@TempDir Path home) throws Exception {
        assertThat(ConfigProblems.of(home, Map.of("upstream.tls.ca", "missing.pem")))
                .containsExactly("upstream.tls.ca: " + home.resolve("missing.pem") + " is not a readable file");
        Files.writeString(home.resolve("empty.pem"), "no certificate here\n");
        assertThat(ConfigProblems.of(home, Map.of("upstream.tls.ca", "empty.pem")))
                .singleElement()
                .asString()
                .startsWith("upstream.tls.ca: " + home.resolve("empty.pem") + " is not a PEM file of certificates");
        Files.writeString(home.resolve("old.pem"), expiredPem);
        assertThat(ConfigProblems.of(home, Map.of("upstream.tls.ca", "old.pem")))
                .containsExactly("upstream.tls.ca: " + home.resolve("old.pem") + " holds only expired certificates");
    }
}
