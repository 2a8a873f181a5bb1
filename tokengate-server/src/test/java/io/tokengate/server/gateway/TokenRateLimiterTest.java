package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
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
import org.junit.jupiter.api.Test;

class TokenRateLimiterTest {
    private static final TokenId TOKEN = new TokenId("tok_AAAAAAAAAAAAAAAA");
    private static final TokenId OTHER = new TokenId("tok_BBBBBBBBBBBBBBBB");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final TokenRateLimiter limiter = new TokenRateLimiter(clock);

    private static RateLimit rate(String text) {
        return RateLimit.parse(text).orElseThrow();
    }

    private void advance(Duration by) {
        clock.advance(by);
    }

    @Test
    void aFullBucketLetsTheWholeRateThroughAtOnceThenOnePerInterval() {
        RateLimit tenPerSecond = rate("10/s");
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.take(TOKEN, tenPerSecond)).as("request %d", i).isZero();
        }
        assertThat(limiter.take(TOKEN, tenPerSecond)).isEqualTo(100_000_000L);
        advance(Duration.ofMillis(40));
        assertThat(limiter.take(TOKEN, tenPerSecond)).isEqualTo(60_000_000L);
        advance(Duration.ofMillis(60));
        assertThat(limiter.take(TOKEN, tenPerSecond)).isZero();
        assertThat(limiter.take(TOKEN, tenPerSecond)).isEqualTo(100_000_000L);

        advance(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.take(TOKEN, tenPerSecond))
                    .as("refilled, request %d", i)
                    .isZero();
        }
        assertThat(limiter.take(TOKEN, tenPerSecond)).isPositive();
    }

    @Test
    void aSteadyCallerAtTheRateIsNeverRefusedAndOneFasterIsHeldToIt() {
        RateLimit perMinute = rate("60/min");
        int allowed = 0;
        for (int i = 0; i < 600; i++) { // ten minutes at two requests a second
            if (limiter.take(TOKEN, perMinute) == 0) {
                allowed++;
            }
            advance(Duration.ofMillis(500));
        }
        assertThat(allowed)
                .as("a burst of 60, then one for each whole second of the 299.5 that follow")
                .isEqualTo(60 + 299);

        advance(Duration.ofMinutes(1));
        for (int i = 0; i < 600; i++) {
            assertThat(limiter.take(OTHER, perMinute)).isZero();
            advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void tokensHaveTheirOwnBuckets() {
        assertThat(limiter.take(TOKEN, rate("1/h"))).isZero();
        assertThat(limiter.take(TOKEN, rate("1/h")))
                .isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(limiter.take(OTHER, rate("1/h"))).isZero();
    }

    @Test
    void aChangedLimitKeepsTheRequestsAlreadyMade() {
        RateLimit tenPerMinute = rate("10/min");
        for (int i = 0; i < 8; i++) {
            assertThat(limiter.take(TOKEN, tenPerMinute)).isZero();
        }
        // Raised: 8 of 20 used, 12 left.
        RateLimit twentyPerMinute = rate("20/min");
        for (int i = 0; i < 12; i++) {
            assertThat(limiter.take(TOKEN, twentyPerMinute)).as("request %d", i).isZero();
        }
        assertThat(limiter.take(TOKEN, twentyPerMinute))
                .isEqualTo(Duration.ofSeconds(3).toNanos());

        // Lowered below what was made: the token waits until it is within the new rate, then gets it.
        RateLimit twoPerMinute = rate("2/min");
        assertThat(limiter.take(TOKEN, twoPerMinute))
                .as("20 outstanding at 30 s each is 10 min behind; held back one period past empty at most")
                .isEqualTo(Duration.ofMinutes(1).toNanos());
        advance(Duration.ofMinutes(1));
        assertThat(limiter.take(TOKEN, twoPerMinute)).isZero();
        assertThat(limiter.take(TOKEN, twoPerMinute))
                .isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void whatWasLetThroughIsReportedOnceAndRefusalsNotAtAll() {
        RateLimit threePerMinute = rate("3/min");
        for (int i = 0; i < 5; i++) {
            limiter.take(TOKEN, threePerMinute);
        }
        limiter.take(OTHER, rate("1/h"));

        assertThat(limiter.drainLocal())
                .containsExactlyInAnyOrder(new Use(TOKEN, threePerMinute, 3), new Use(OTHER, rate("1/h"), 1));
        assertThat(limiter.drainLocal()).as("already reported").isEmpty();

        advance(Duration.ofMinutes(1));
        limiter.take(TOKEN, threePerMinute);
        assertThat(limiter.drainLocal()).containsExactly(new Use(TOKEN, threePerMinute, 1));
    }

    @Test
    void requestsUnreportedAtAnEditAreReportedAfterIt() {
        limiter.take(TOKEN, rate("10/min"));
        limiter.take(TOKEN, rate("10/min"));
        limiter.take(TOKEN, rate("20/min"));
        assertThat(limiter.drainLocal()).containsExactly(new Use(TOKEN, rate("20/min"), 3));
    }

    @Test
    void requestsAnotherNodeLetThroughCountHereAndAreNotReportedBack() {
        RateLimit tenPerMinute = rate("10/min");
        assertThat(limiter.take(TOKEN, tenPerMinute)).isZero();
        limiter.chargeRemote(new Use(TOKEN, tenPerMinute, 7));
        limiter.chargeRemote(new Use(OTHER, tenPerMinute, 10)); // a token not seen here yet

        assertThat(limiter.take(TOKEN, tenPerMinute)).isZero();
        assertThat(limiter.take(TOKEN, tenPerMinute)).isZero();
        assertThat(limiter.take(TOKEN, tenPerMinute))
                .as("1 + 7 + 2 of 10")
                .isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.take(OTHER, tenPerMinute))
                .isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.drainLocal()).containsExactly(new Use(TOKEN, tenPerMinute, 3));
    }

    @Test
    void nodesThatWentOverTogetherHoldTheTokenBackOnePeriodPastEmptyAtMost() {
        RateLimit tenPerMinute = rate("10/min");
        for (int i = 0; i < 10; i++) {
            limiter.take(TOKEN, tenPerMinute);
        }
        // Two other nodes let a full bucket through each before they heard of this one.
        limiter.chargeRemote(new Use(TOKEN, tenPerMinute, 10));
        limiter.chargeRemote(new Use(TOKEN, tenPerMinute, 10));
        assertThat(limiter.take(TOKEN, tenPerMinute))
                .as("30 at 6 s each is 3 min behind; capped at 1 min past empty")
                .isEqualTo(Duration.ofMinutes(1).toNanos());

        limiter.chargeRemote(new Use(TOKEN, tenPerMinute, Long.MAX_VALUE)); // no overflow either
        assertThat(limiter.take(TOKEN, tenPerMinute))
                .isEqualTo(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void concurrentRequestsNeverGetMoreThanTheBucketHolds() throws Exception {
        RateLimit limit = rate("1000000/min"); // a big bucket: many takes race for it
        int threads = 4;
        int perThread = 400_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    int allowed = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (limiter.take(TOKEN, limit) == 0) {
                            allowed++;
                        }
                    }
                    return allowed;
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Integer> count : counts) {
                allowed += count.get(30, TimeUnit.SECONDS);
            }
            assertThat(allowed).as("the clock stands still: exactly one bucket").isEqualTo(1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
