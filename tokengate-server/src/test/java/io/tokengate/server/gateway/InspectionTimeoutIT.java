package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.server.GatewayFixture;
import io.tokengate.server.RawResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body read for JSON conditions must arrive within {@code body.inspect.timeout.ms} of its first
 * read: a client that sends a byte now and then, never silent long enough for the idle timeout,
 * gets 408 instead of holding its share of {@code body.inspect.memory} for as long as it likes.
 * Here the timeout is 500 ms and the memory two bodies of {@code body.inspect.max}.
 */
class InspectionTimeoutIT {
    private static final int INSPECT_MAX = 1024;
    private static final Duration PAST_THE_TIMEOUT = Duration.ofMillis(800);

    @TempDir
    static Path home;

    static GatewayFixture gw;
    static String filters;
    /** A second token: one token's requests may hold only half the bound. */
    static String others;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(
                home,
                Map.of(
                        "body.inspect.max",
                        Integer.toString(INSPECT_MAX),
                        "body.inspect.memory",
                        Integer.toString(2 * INSPECT_MAX),
                        "body.inspect.timeout.ms",
                        "500"),
                GatewayFixture.headerUpstream());
        filters = HeldBody.filterToken(gw, "filters");
        others = HeldBody.filterToken(gw, "others");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aBodyStillArrivingPastTheTimeoutGets408AndGivesItsRoomBack() throws Exception {
        try (HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX)) {
            LockSupport.parkNanos(PAST_THE_TIMEOUT.toNanos());
            first.more();
            second.more();
            for (HeldBody held : new HeldBody[] {first, second}) {
                RawResponse refused = held.answer();
                assertThat(refused.status()).isEqualTo(408);
                assertThat(refused.body()).contains("must arrive within 500 ms");
                AuditEvent audited =
                        gw.audited(refused.header("X-Request-Id").orElseThrow()).orElseThrow();
                assertThat(audited.decision()).isEqualTo(AuditDecision.DENY);
                assertThat(audited.status()).isEqualTo(408);
                assertThat(audited.reason()).isEqualTo("body still arriving after body.inspect.timeout.ms (500)");
            }
        }
        // Both shares are given back: two whole bodies fit again (each asserts its 100 Continue).
        try (HeldBody first = HeldBody.declared(gw, filters, INSPECT_MAX);
                HeldBody second = HeldBody.declared(gw, others, INSPECT_MAX)) {
            assertThat(first.finish().status()).isEqualTo(200);
            assertThat(second.finish().status()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodyIsTimedToo() throws Exception {
        try (HeldBody held = HeldBody.chunked(gw, filters)) {
            LockSupport.parkNanos(PAST_THE_TIMEOUT.toNanos());
            held.more();
            assertThat(held.answer().status()).isEqualTo(408);
        }
    }

    @Test
    void aBodyThatArrivesInTimeIsForwarded() throws Exception {
        try (HeldBody held = HeldBody.declared(gw, filters, INSPECT_MAX)) {
            held.more();
            assertThat(held.finish().status()).isEqualTo(200);
        }
    }
}
