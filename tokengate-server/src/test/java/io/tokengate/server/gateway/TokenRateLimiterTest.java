package io.tokengate.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

    private Instant now = Instant.parse("2026-11-29T12:00:00Z");
    private final TokenRateLimiter limiter = new TokenRateLimiter(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    });

    private static RateLimit rate(String text) {
        return RateLimit.parse(text).orElseThrow();
    }

    private void advance(Duration by) {
        now = now.plus(by);
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
    void aChangedLimitStartsAfresh() {
        assertThat(limiter.take(TOKEN, rate("1/day"))).isZero();
        assertThat(limiter.take(TOKEN, rate("1/day"))).isPositive();
        assertThat(limiter.take(TOKEN, rate("2/day"))).isZero();
        assertThat(limiter.take(TOKEN, rate("2/day"))).isZero();
        assertThat(limiter.take(TOKEN, rate("2/day"))).isPositive();
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
