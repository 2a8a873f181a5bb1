package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway asks and tells the user directory once Jira has answered (why Jira refused a
 * user; that it took or refused one) cannot cost the call's audit record: a directory that failed
 * there lost it, and left the client's connection hanging.
 */
class DirectoryFailureIT {
    @TempDir
    Path home;

    /** A directory that fails whenever it is told how Jira answered. */
    private static final UserDirectory FAILING_AFTERWARDS = new UserDirectory() {
        @Override
        public Optional<DirectoryUser> find(String nameOrEmail) {
            return Optional.empty();
        }

        @Override
        public void upstreamAccepted(String name) {
            throw new IllegalStateException("directory failed");
        }

        @Override
        public Optional<String> refusedNow(String name) {
            throw new IllegalStateException("directory failed");
        }

        @Override
        public void learnAbout(String name) {
            throw new IllegalStateException("directory failed");
        }
    };

    @Test
    void aCallJiraAnsweredIsAuditedWhateverTheDirectoryDoesAfterwards() throws Exception {
        try (DemoJira jira = DemoJira.start(GatewayFixture.headerUpstream());
                LoneGateway gateway = LoneGateway.start(
                        home,
                        new Server(),
                        FAILING_AFTERWARDS,
                        Map.of("upstream.url", jira.baseUri().toString()))) {
            HttpResponse<String> accepted = get(gateway, "admin", TokenSpec.bound("admin's", "admin", "admin"));
            jira.removeUser("bob");
            HttpResponse<String> refused = get(gateway, "bob", TokenSpec.bound("bob's", "bob", "admin"));

            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(refused.statusCode()).isEqualTo(401);
            AuditEvent acceptedRecord = gateway.audited(requestId(accepted));
            assertThat(acceptedRecord.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(acceptedRecord.status()).isEqualTo(200);
            AuditEvent refusedRecord = gateway.audited(requestId(refused));
            assertThat(refusedRecord.decision()).isEqualTo(AuditDecision.ALLOW);
            assertThat(refusedRecord.status()).isEqualTo(401);
            assertThat(refusedRecord.reason()).contains("Jira refused the call as bob (401)");
        }
    }

    private static HttpResponse<String> get(LoneGateway gateway, String user, TokenSpec spec) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/rest/api/2/myself"))
                                .header("Authorization", gateway.basic(user, spec))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }
}
