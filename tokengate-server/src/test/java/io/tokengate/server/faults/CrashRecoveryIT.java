package io.tokengate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditPage;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a serving tokengate process with SIGKILL in the middle of a stream of requests, restarts
 * it, and checks what a crash may and may not cost: no token is lost or changed, a revoked token
 * stays revoked, the embedded database opens, and the audit log misses at most the requests of
 * the last unflushed batch (README: requests answered within the last flush interval before the
 * crash). Every request that was answered earlier than that must be in the audit log.
 */
class CrashRecoveryIT {
    /** Generous against the 100 ms flush interval: CI machines stall. */
    private static final Duration AUDIT_LOSS_WINDOW = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static Store openOffline(Path home) {
        StoreConfig config = ConfigLoader.load(home, Map.of(), Map.of(), false).store();
        return Store.open(config, Clock.systemUTC());
    }

    private int get(URI base, String user, String secret) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(base.resolve("/rest/api/2/issue/AAA-1"))
                                .header("Authorization", GatewayFixture.basic(user, secret))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aKilledServerLosesNoTokenAndAtMostTheLastAuditBatch(@TempDir Path home, @TempDir Path logs) throws Exception {
        CreatedToken live;
        CreatedToken revoked;
        try (Store store = openOffline(home)) {
            live = store.tokens().create(TokenSpec.bound("live", "admin", "test"));
            revoked = store.tokens().create(TokenSpec.bound("revoked", "admin", "test"));
            store.tokens().revoke(revoked.token().id());
        }
        try (DemoJira jira = DemoJira.start(GatewayFixture.headerUpstream())) {
            ServeProcess first = ServeProcess.start(home, jira.baseUri(), logs.resolve("first.log"), Map.of());
            Map<String, Instant> answered = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                clients.execute(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<Void> response = http.send(
                                    HttpRequest.newBuilder(first.url().resolve("/rest/api/2/issue/AAA-1"))
                                            .header(
                                                    "Authorization",
                                                    GatewayFixture.basic(
                                                            "admin",
                                                            live.secret().reveal()))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 200) {
                                response.headers()
                                        .firstValue("X-Request-Id")
                                        .ifPresent(id -> answered.put(id, Instant.now()));
                            }
                        } catch (IOException e) {
                            // the server is being killed
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (answered.size() < 300 && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertThat(answered).hasSizeGreaterThanOrEqualTo(300);
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            Instant killed = Instant.now();
            assertThat(first.awaitExit(Duration.ofSeconds(30))).isTrue();
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            ServeProcess second = ServeProcess.start(home, jira.baseUri(), logs.resolve("second.log"), Map.of());
            try {
                assertThat(get(second.url(), "admin", live.secret().reveal())).isEqualTo(200);
                assertThat(get(second.url(), "admin", revoked.secret().reveal()))
                        .isEqualTo(401);
                assertThat(Files.readString(logs.resolve("second.log")))
                        .as("the restart says that the last run was killed, and what that may have cost")
                        .contains("the last run on this home did not stop cleanly (pid "
                                + first.process().pid() + ", started ")
                        .contains("may be missing");
            } finally {
                second.process().destroy();
                assertThat(second.awaitExit(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(home.resolve("tokengate.running"))
                    .as("a clean stop leaves nothing to report")
                    .doesNotExist();

            try (Store store = openOffline(home)) {
                assertThat(store.tokens().list(TokenQuery.all()).tokens())
                        .extracting(t -> t.name() + ":" + (t.revokedAt() == null ? "active" : "revoked"))
                        .containsExactlyInAnyOrder("live:active", "revoked:revoked");
                Set<String> audited = auditedRequestIds(store);
                Instant safe = killed.minus(AUDIT_LOSS_WINDOW);
                List<String> lost = answered.entrySet().stream()
                        .filter(e -> e.getValue().isBefore(safe))
                        .map(Map.Entry::getKey)
                        .filter(id -> !audited.contains(id))
                        .toList();
                assertThat(lost)
                        .as("requests answered well before the crash but missing from the audit log")
                        .isEmpty();
                long recent = answered.values().stream()
                        .filter(t -> !t.isBefore(safe))
                        .count();
                long missing = answered.keySet().stream()
                        .filter(id -> !audited.contains(id))
                        .count();
                assertThat(missing)
                        .as("audit loss is bounded by the requests of the last window")
                        .isLessThanOrEqualTo(recent);
            }
        }
    }

    private static Set<String> auditedRequestIds(Store store) {
        Set<String> ids = new HashSet<>();
        AuditQuery query = AuditQuery.all().withLimit(AuditQuery.MAX_LIMIT);
        while (true) {
            AuditPage page = store.auditLog().query(query);
            page.events().stream().map(AuditEvent::requestId).forEach(ids::add);
            Optional<String> next = page.nextCursor();
            if (next.isEmpty()) {
                return ids;
            }
            query = query.after(next.get());
        }
    }
}
