package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditExportFormat;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token secret sent everywhere a careless client might put it — the right place, a wrong
 * user, the query string, the path, a revoked token, a request the upstream fails — never shows
 * up in the server's logs (at DEBUG), in an error body, or in the audit log's exports.
 */
class SecretsNeverLeakIT {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> bodies = new ArrayList<>();
    private final Map<String, Integer> statuses = new java.util.HashMap<>();

    @Test
    void secretsAppearInNoLogNoErrorAndNoAuditRecord(@TempDir Path home, @TempDir Path logs) throws Exception {
        CreatedToken live;
        CreatedToken revoked;
        try (Store store =
                Store.open(ConfigLoader.load(home, Map.of(), Map.of(), false).store(), Clock.systemUTC())) {
            live = store.tokens()
                    .create(TokenSpec.bound("live", "admin", "test")
                            .withLimits(".*/rest/api/2/issue/.*\n.*/rest/demo/.*"));
            revoked = store.tokens().create(TokenSpec.bound("revoked", "admin", "test"));
            store.tokens().revoke(revoked.token().id());
        }
        String secret = live.secret().reveal();
        String revokedSecret = revoked.secret().reveal();
        Path log = logs.resolve("serve.log");
        try (DemoJira jira = DemoJira.start(GatewayFixture.headerUpstream().faultEndpoints(true))) {
            ServeProcess server = ServeProcess.start(
                    home,
                    jira.baseUri(),
                    log,
                    Map.of("TOKENGATE_LOG_LEVEL", "DEBUG", "TOKENGATE_GATEWAY_ENDPOINTS", "/rest/"));
            try {
                URI base = server.url();
                send(base, "/rest/api/2/issue/AAA-1", GatewayFixture.basic("admin", secret));
                send(base, "/rest/api/2/issue/AAA-1", GatewayFixture.basic("mallory", secret));
                send(base, "/rest/api/2/issue/AAA-1", "Bearer " + secret);
                send(
                        base,
                        "in the query",
                        "/rest/api/2/issue/AAA-1?token=" + secret,
                        GatewayFixture.basic("admin", secret));
                send(base, "in the path", "/rest/api/2/issue/" + secret, GatewayFixture.basic("admin", secret));
                send(
                        base,
                        "in a query value",
                        "/rest/api/2/search?jql=" + secret,
                        GatewayFixture.basic("admin", secret));
                send(base, "/rest/api/2/issue/AAA-1", GatewayFixture.basic("admin", revokedSecret));
                send(base, "/rest/api/2/issue/AAA-1", "Basic " + secret);
                send(base, "/rest/api/2/issue/%2e%2e/" + secret, GatewayFixture.basic("admin", secret));
                send(base, "/rest/demo/1.0/reset", GatewayFixture.basic("admin", secret));
                send(base, "/outside/" + secret, GatewayFixture.basic("admin", secret));
            } finally {
                server.process().destroy();
                assertThat(server.awaitExit(Duration.ofSeconds(30))).isTrue();
            }
        }
        assertThat(statuses)
                .as("a secret in the URL is refused, never forwarded to Jira's access log")
                .containsEntry("in the query", 400)
                .containsEntry("in the path", 400)
                .containsEntry("in a query value", 400);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("tokengate serving").contains("upstream");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("logs"))))
                .as("the log directory tokengate made, readable by its owner only: who called what, from where")
                .isEqualTo("rwx------");
        String jsonLog = Files.readString(home.resolve("logs/tokengate.log"), StandardCharsets.UTF_8);
        assertThat(jsonLog).contains("tokengate serving").contains("\"level\":\"DEBUG\"");
        for (String s : List.of(secret, revokedSecret)) {
            assertThat(output).as("server log").doesNotContain(s).doesNotContain(s.substring(4));
            assertThat(jsonLog).as("JSON log file").doesNotContain(s.substring(4));
            assertThat(bodies).as("error bodies").noneSatisfy(b -> assertThat(b).contains(s));
        }

        try (Store store =
                Store.open(ConfigLoader.load(home, Map.of(), Map.of(), false).store(), Clock.systemUTC())) {
            for (AuditExportFormat format : AuditExportFormat.values()) {
                ByteArrayOutputStream export = new ByteArrayOutputStream();
                store.auditLog().export(AuditQuery.all(), format, export);
                String text = export.toString(StandardCharsets.UTF_8);
                assertThat(text.lines().count()).as(format + " has the records").isGreaterThan(8);
                assertThat(text)
                        .as("audit export " + format)
                        .doesNotContain(secret)
                        .doesNotContain(revokedSecret);
            }
        }
    }

    private void send(URI base, String path, String authorization) throws IOException, InterruptedException {
        send(base, path, path, authorization);
    }

    private void send(URI base, String label, String path, String authorization)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", authorization)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        statuses.put(label, response.statusCode());
    }
}
