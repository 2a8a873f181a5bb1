package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T03:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    @Test
    void anAddressIsBlockedAfterItsFailuresUntilTheWindowHasPassed() {
        throttle.recordFailure("10.0.0.1");
        throttle.recordFailure("10.0.0.1");
        assertThat(throttle.blockedForSeconds("10.0.0.1")).isZero();
        throttle.recordFailure("10.0.0.1");
        assertThat(throttle.blockedForSeconds("10.0.0.1")).isEqualTo(300);
        assertThat(throttle.blockedForSeconds("10.0.0.2")).isZero();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.blockedForSeconds("10.0.0.1")).isZero();
    }

    @Test
    void failuresOnOtherNodesCountHereAndOwnOnesAreReportedOnce() {
        throttle.recordFailure("10.0.0.1");
        throttle.addRemote("10.0.0.1", 2); // two more on another node
        assertThat(throttle.blockedForSeconds("10.0.0.1"))
                .as("1 here + 2 elsewhere")
                .isEqualTo(300);

        throttle.addRemote("10.0.0.9", 1_000_000);
        assertThat(throttle.blockedForSeconds("10.0.0.9")).isEqualTo(300);

        assertThat(throttle.drainLocal())
                .as("only this node's own")
                .containsExactly(java.util.Map.entry("10.0.0.1", 1L));
        assertThat(throttle.drainLocal()).isEmpty();
    }

    @Test
    void turnedOffItCountsNothingFromAnywhere() {
        LoginThrottle off = new LoginThrottle(0, Duration.ofMinutes(5), clock);
        off.recordFailure("10.0.0.1");
        off.addRemote("10.0.0.1", 100);
        assertThat(off.blockedForSeconds("10.0.0.1")).isZero();
        assertThat(off.drainLocal()).isEmpty();
    }
}
