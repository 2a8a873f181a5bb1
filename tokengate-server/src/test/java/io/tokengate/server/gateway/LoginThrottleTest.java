package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.server.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    void credentialsThatWorkedSinceAnAddressBeganFailingAreVouchedForThere() {
        throttle.succeeded("10.0.0.1", "Basic before");
        throttle.recordFailure("10.0.0.1");
        throttle.succeeded("10.0.0.1", "Basic after");
        throttle.recordFailure("10.0.0.1");
        assertThat(throttle.recordFailure("10.0.0.1"))
                .as("the failure that throttles")
                .isTrue();
        assertThat(throttle.recordFailure("10.0.0.1")).as("once").isFalse();

        assertThat(throttle.vouchedFor("10.0.0.1", "Basic after")).isTrue();
        assertThat(throttle.vouchedFor("10.0.0.1", "Basic before"))
                .as("nothing is kept for an address without failures")
                .isFalse();
        assertThat(throttle.vouchedFor("10.0.0.2", "Basic after"))
                .as("another address")
                .isFalse();
        assertThat(throttle.vouchedFor("10.0.0.1", "Basic guess")).isFalse();

        clock.advance(LoginThrottle.VOUCHED_FOR.plusSeconds(1));
        assertThat(throttle.vouchedFor("10.0.0.1", "Basic after"))
                .as("a day later")
                .isFalse();

        LoginThrottle off = new LoginThrottle(0, Duration.ofMinutes(5), clock);
        off.recordFailure("10.0.0.1");
        off.succeeded("10.0.0.1", "Basic after");
        assertThat(off.vouchedFor("10.0.0.1", "Basic after")).isFalse();
    }

    /** The admin plane's sign-ins: a user name and password, vouched for as the pair that worked. */
    @Test
    void aUserAndPasswordThatWorkedSinceAnAddressBeganFailingAreVouchedForThere() {
        throttle.succeeded("10.0.0.1", "root", "before".toCharArray());
        throttle.recordFailure("10.0.0.1");
        char[] password = "root-password".toCharArray();
        throttle.succeeded("10.0.0.1", "root", password);
        assertThat(password)
                .as("the caller's password is left as it was")
                .containsExactly("root-password".toCharArray());

        assertThat(throttle.vouchedFor("10.0.0.1", "root", "root-password".toCharArray()))
                .isTrue();
        assertThat(throttle.vouchedFor("10.0.0.1", "root", "before".toCharArray()))
                .as("nothing is kept for an address without failures")
                .isFalse();
        assertThat(throttle.vouchedFor("10.0.0.1", "root", "a-guess".toCharArray()))
                .isFalse();
        assertThat(throttle.vouchedFor("10.0.0.1", "alice", "root-password".toCharArray()))
                .as("another user with that password")
                .isFalse();
        assertThat(throttle.vouchedFor("10.0.0.2", "root", "root-password".toCharArray()))
                .as("another address")
                .isFalse();

        clock.advance(LoginThrottle.VOUCHED_FOR.plusSeconds(1));
        assertThat(throttle.vouchedFor("10.0.0.1", "root", "root-password".toCharArray()))
                .as("a day later")
                .isFalse();
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

    /** Wrong guesses from many threads at once: never more checked than failures allowed. */
    @Test
    void guessesFromManyThreadsAtOnceNeverPassMoreThanTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int trial = 0; trial < 200; trial++) {
                LoginThrottle fresh = new LoginThrottle(3, Duration.ofMinutes(5), clock);
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger checked = new AtomicInteger();
                List<Future<?>> guesses = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    guesses.add(pool.submit(() -> {
                        go.await();
                        if (fresh.beginAttempt("10.0.0.1") == 0) {
                            checked.incrementAndGet();
                            fresh.recordFailure("10.0.0.1");
                            fresh.endAttempt("10.0.0.1");
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> guess : guesses) {
                    guess.get(10, TimeUnit.SECONDS);
                }
                assertThat(checked.get()).as("trial %d", trial).isBetween(1, 3);
            }
        } finally {
            pool.shutdownNow();
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
    void theFailingAddressesAreListedThrottledFirst() {
        throttle.recordFailure("10.0.0.2");
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("10.0.0.1");
        }
        throttle.addRemote("[2001:db8:0:0:0:0:0:1]", 2);

        assertThat(throttle.failing())
                .extracting(f -> f.address() + " " + f.failures() + " " + f.throttled())
                .containsExactly("10.0.0.1 3 true", "[2001:db8:0:0:0:0:0:1] 2 false", "10.0.0.2 1 false");
        LoginThrottle.Failing first = throttle.failing().get(0);
        assertThat(first.lastFailure()).isEqualTo(clock.instant());
        assertThat(first.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(4).plusSeconds(1));
        assertThat(throttle.failing())
                .as("10.0.0.2's window has passed")
                .extracting(LoginThrottle.Failing::address)
                .doesNotContain("10.0.0.2");
    }

    /** A lift: the address is checked again at once, what worked there stays vouched for. */
    @Test
    void aForgottenAddressIsCheckedAgainHoweverItIsWritten() throws Exception {
        throttle.recordFailure("[2001:db8:0:0:0:0:0:1]");
        throttle.succeeded("[2001:db8:0:0:0:0:0:1]", "Basic worked");
        throttle.recordFailure("[2001:db8:0:0:0:0:0:1]");
        throttle.recordFailure("[2001:db8:0:0:0:0:0:1]");
        assertThat(throttle.blockedForSeconds("[2001:db8:0:0:0:0:0:1]")).isPositive();

        assertThat(throttle.forget(java.net.InetAddress.getByName("2001:db8::1")))
                .get()
                .satisfies(f -> assertThat(f.failures()).isEqualTo(3))
                .satisfies(f -> assertThat(f.throttled()).isTrue());
        assertThat(throttle.blockedForSeconds("[2001:db8:0:0:0:0:0:1]")).isZero();
        assertThat(throttle.failing()).isEmpty();
        assertThat(throttle.drainLocal()).as("nothing left to report").isEmpty();
        assertThat(throttle.vouchedFor("[2001:db8:0:0:0:0:0:1]", "Basic worked"))
                .isTrue();
        assertThat(throttle.forget(java.net.InetAddress.getByName("2001:db8::1")))
                .as("nothing left")
                .isEmpty();
        assertThat(throttle.recordFailure("[2001:db8:0:0:0:0:0:1]"))
                .as("counted afresh")
                .isFalse();
    }

    @Test
    void anotherNodeAsksToForgetAnAddress() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("10.0.0.1");
        }
        throttle.addRemote("10.0.0.2", 3);
        throttle.forget("10.0.0.1");
        throttle.forget("not an address");
        assertThat(throttle.blockedForSeconds("10.0.0.1")).isZero();
        assertThat(throttle.blockedForSeconds("10.0.0.2")).isPositive();
        assertThat(throttle.drainLocal())
                .as("what was not reported yet is forgotten too")
                .isEmpty();
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
