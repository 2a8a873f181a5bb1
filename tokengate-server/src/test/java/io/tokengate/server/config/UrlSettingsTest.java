package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL settings take an http(s) URL with a host and nothing else: credentials in one would travel
 * in the {@code Host} of every forwarded request and stand in the log, so they are refused, and
 * no message repeats them.
 */
class UrlSettingsTest {
    @TempDir
    Path home;

    @Test
    void aUserNameOrPasswordInAUrlIsRefusedWithoutRepeatingIt() {
        assertThat(ConfigProblems.of(home, Map.of("upstream.url", "https://svc:S3cret-pw@jira.example.com/jira")))
                .containsExactly("upstream.url: 'https://…@jira.example.com/jira' holds a user name or password, which"
                        + " would be sent and logged with every request; give Jira's credentials with"
                        + " upstream.identity=service-account instead");
        assertThat(ConfigProblems.of(
                        home,
                        Map.of(
                                "upstream.url", "https://jira.example.com",
                                "gateway.public.url", "https://user@gateway.example.com",
                                "admin.public.url", "https://a:b@admin.example.com")))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("holds a user name or password"));
    }

    @Test
    void withoutAPublicUrlTheUrlOfATlsGatewayIsHttpsOfflineToo() {
        Map<String, String> tls = Map.of("gateway.tls.keystore", "tls/gateway.p12", "gateway.port", "8443");
        assertThat(ConfigLoader.load(home, Map.of(), tls, false).publicUrlOrListening())
                .as("offline commands do not open the keystore, but the server will speak HTTPS")
                .isEqualTo("https://localhost:8443");
        assertThat(ConfigLoader.load(home, Map.of(), Map.of("gateway.port", "8080"), false)
                        .publicUrlOrListening())
                .isEqualTo("http://localhost:8080");
    }

    @Test
    void aUrlThatDoesNotParseIsNamedWithoutItsUserInformation() {
        assertThat(ConfigProblems.of(home, Map.of("upstream.url", "https://svc:S3cret pw@jira.example.com")))
                .singleElement()
                .asString()
                .startsWith("upstream.url: 'https://…@jira.example.com' is not a URL (")
                .doesNotContain("S3cret");
    }

    @Test
    void aDatabaseUrlOfAnotherKindIsOneProblem() {
        assertThat(ConfigProblems.of(home, Map.of("db.url", "jdbc:mysql://db.example.com/tokengate")))
                .containsExactly(
                        "db.url: 'jdbc:mysql://db.example.com/tokengate' is neither jdbc:postgresql: nor jdbc:h2:");
    }
}
