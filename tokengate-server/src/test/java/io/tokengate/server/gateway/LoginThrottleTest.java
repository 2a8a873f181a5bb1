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

    /**
     * Guesses sent at once: each check under way counts as the failure it may be, so that no more
     * pass the throttle than it allows failures, however many arrive before the first is counted.
     */
    @Test
    void signInsUnderWayCountAgainstTheirAddressUntilTheyEnd() {
        assertThat(throttle.beginAttempt("10.0.0.1")).isZero();
        assertThat(throttle.beginAttempt("10.0.0.1")).isZero();
        assertThat(throttle.beginAttempt("10.0.0.1")).isZero();
        assertThat(throttle.beginAttempt("10.0.0.1")).as("a fourth at once").isEqualTo(1);
        assertThat(throttle.beginAttempt("10.0.0.2")).as("another address").isZero();

        throttle.recordFailure("10.0.0.1"); // the first was wrong
        throttle.endAttempt("10.0.0.1");
        throttle.endAttempt("10.0.0.1"); // the second was right
        assertThat(throttle.beginAttempt("10.0.0.1"))
                .as("1 failure + 2 under way")
                .isZero();
        assertThat(throttle.beginAttempt("10.0.0.1")).isEqualTo(1);
        throttle.endAttempt("10.0.0.1");
        throttle.endAttempt("10.0.0.1");
        assertThat(throttle.beginAttempt("10.0.0.1")).isZero();
        throttle.endAttempt("10.0.0.1");

        LoginThrottle off = new LoginThrottle(0, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(off.beginAttempt("10.0.0.1")).isZero();
        }
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
