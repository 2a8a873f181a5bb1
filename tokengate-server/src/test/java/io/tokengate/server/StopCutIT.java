package io.tokengate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.store.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request Jira is still working on when the stop has waited its while for the requests in
 * flight (20 s; half a second here) is cut, and its audit record says so. Before, the record said
 * 502, "upstream failure: AsynchronousCloseException", and an administrator reading it after a
 * restart looked for a fault in a Jira that had none.
 */
class StopCutIT {
    private static final String SLOW = "/rest/demo/1.0/slow";

    @Test
    void aRequestCutByTheStopIsAuditedAsSuchNotAsJiraFailing(@TempDir Path home) throws Exception {
        GatewayFixture gw =
                GatewayFixture.start(home, Map.of(), DemoJira.Options.defaults().faultEndpoints(true));
        try {
            String auth = gw.basic("admin", TokenSpec.bound("ci", "admin", "admin"));
            gw.server.drainFor(Duration.ofMillis(500));
            CompletableFuture<HttpResponse<String>> slow = gw.http.sendAsync(
                    HttpRequest.newBuilder(gw.url(SLOW + "?ms=30000"))
                            .header("Authorization", auth)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gw.jira.received().stream().noneMatch(r -> r.rawPath().equals(SLOW))) {
                assertThat(System.nanoTime() - deadline)
                        .as("Jira received the request")
                        .isNegative();
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval
            }

            gw.server.close();
            slow.handle((response, failure) -> null).get(10, TimeUnit.SECONDS); // answered or cut, not left hanging

            try (Store store = Store.open(
                    ConfigLoader.load(home, Map.of(), Map.of(), false).store(), Clock.systemUTC())) {
                List<AuditEvent> events =
                        store.auditLog().query(AuditQuery.all().withLimit(100)).events();
                assertThat(events)
                        .filteredOn(e -> e.path().equals(SLOW))
                        .singleElement()
                        .satisfies(event -> {
                            assertThat(event.reason())
                                    .contains("cut by the gateway's stop")
                                    .doesNotContain("upstream failure");
                            assertThat(event.status()).isEqualTo(503);
                        });
            }
        } finally {
            gw.jira.close();
        }
    }
}
