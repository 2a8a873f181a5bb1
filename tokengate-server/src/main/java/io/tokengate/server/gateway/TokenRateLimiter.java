package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds each token to its {@link RateLimit}, with the generic cell rate algorithm: one number per
 * token, the time at which its bucket of {@code requests} will be full again, advanced by one
 * interval (period ÷ requests) for each request let through. A request that finds the bucket
 * empty is refused and not counted, so a caller that waits as told gets through.
 *
 * <p>Lock-free on the request path. Per node, like {@link LoginThrottle}: a cluster of n nodes lets
 * a token through up to n times its rate when its requests are spread over all of them. Only
 * tokens with a rate limit have an entry, so the table is bounded by the token table; an entry
 * idle for a day (the longest period) is dropped, since its bucket is full by then.
 */
final class TokenRateLimiter {
    private static final Duration LONGEST_PERIOD = Duration.ofDays(1);

    private final Ticker nanos;
    private final Cache<TokenId, Meter> meters;

    TokenRateLimiter(Clock clock) {
        this.nanos = LoginThrottle.ticker(clock);
        this.meters = Caffeine.newBuilder()
                .expireAfterAccess(LONGEST_PERIOD)
                .ticker(nanos)
                .build();
    }

    /**
     * Counts a request of token {@code id} against {@code limit}, if the limit lets it through.
     *
     * @return 0 when the request may go ahead (it is counted); otherwise the nanoseconds until the
     *     token may make its next request (nothing is counted)
     */
    long take(TokenId id, RateLimit limit) {
        Meter meter = meters.getIfPresent(id);
        if (meter == null || !meter.limit.equals(limit)) {
            // A first request, or the token was edited: start afresh at its rate.
            meter = meters.asMap()
                    .compute(
                            id,
                            (ignored, current) ->
                                    current != null && current.limit.equals(limit) ? current : new Meter(limit));
        }
        return meter.take(nanos.read());
    }

    private static final class Meter {
        final RateLimit limit;
        private final long interval;
        /** How far ahead of now the bucket may be full again before a request is refused. */
        private final long tolerance;
        /** When the bucket will be full again; long ago for a new meter. */
        private final AtomicLong fullAt = new AtomicLong(Long.MIN_VALUE);

        Meter(RateLimit limit) {
            this.limit = limit;
            this.interval = limit.intervalNanos();
            this.tolerance = interval * (limit.requests() - 1);
        }

        long take(long now) {
            while (true) {
                long full = fullAt.get();
                long start = Math.max(full, now);
                long wait = start - tolerance - now;
                if (wait > 0) {
                    return wait;
                }
                if (fullAt.compareAndSet(full, start + interval)) {
                    return 0;
                }
            }
        }
    }
}
