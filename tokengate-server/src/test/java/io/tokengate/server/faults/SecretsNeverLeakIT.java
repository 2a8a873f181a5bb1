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
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token secret sent everywhere a careless client might put it — the right place, a wrong
 * user, the query string, the path, a revoked token, a request the upstream fails — never shows
 * up in the server's logs (at DEBUG), in an error body, or in the audit log's exports.
 */
class SecretsNeverLeakIT {
    private static final Path JAR = Path.of("target", "tokengate.jar");
    private static final Pattern LISTENING = Pattern.compile("gateway on (http://\\S+),");

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
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    JAR.toString(),
                    "serve",
                    "--home",
                    home.toString(),
                    "--port",
                    "0",
                    "--admin-port",
                    "0",
                    "--upstream",
                    jira.baseUri().toString());
            builder.environment().put("TOKENGATE_LOG_LEVEL", "DEBUG");
            builder.environment().put("TOKENGATE_GATEWAY_ENDPOINTS", "/rest/");
            builder.redirectErrorStream(true);
            Process server = builder.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> copy(server.getInputStream(), log, lines), "serve-output");
            reader.start();
            try {
                URI base = awaitListening(lines);
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
                server.destroy();
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(statuses)
                .as("a secret in the URL is refused, never forwarded to Jira's access log")
                .containsEntry("in the query", 400)
                .containsEntry("in the path", 400)
                .containsEntry("in a query value", 400);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("tokengate serving").contains("upstream");
        for (String s : List.of(secret, revokedSecret)) {
            assertThat(output).as("server log").doesNotContain(s).doesNotContain(s.substring(4));
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

    /** Copies the server's output to the log file, handing each line to {@code lines} as well. */
    private static void copy(InputStream output, Path log, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("output lost: " + e);
        }
    }

    private static URI awaitListening(BlockingQueue<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String line;
        while ((line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return URI.create(m.group(1));
            }
        }
        throw new IllegalStateException("tokengate serve did not start within 60 s");
    }
}
