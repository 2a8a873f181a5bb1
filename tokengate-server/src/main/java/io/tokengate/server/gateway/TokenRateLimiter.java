package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.TokenId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds each token to its {@link RateLimit}, with the generic cell rate algorithm: one number per
 * token, the time at which its bucket of {@code requests} will be full again, advanced by one
 * interval (period ÷ requests) for each request let through. A request that finds the bucket
 * empty is refused and not counted, so a caller that waits as told gets through.
 *
 * <p>Lock-free on the request path. In a cluster the nodes exchange what they let through (see
 * {@link RateExchange}), and another node's requests advance the bucket here as this node's own
 * do. Only tokens with a rate limit have an entry, so the table is bounded by the token table; an
 * entry idle for a day (the longest period) is dropped, since its bucket is full by then.
 *
 * <p>However much a token is behind, from requests other nodes let through at once or from an
 * edit that lowered its rate, it is never kept waiting for more than one period after its bucket
 * would be empty.
 */
final class TokenRateLimiter implements RateExchange {
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
        return meter(id, limit).take(nanos.read());
    }

    @Override
    public List<Use> drainLocal() {
        List<Use> uses = new ArrayList<>();
        for (var entry : meters.asMap().entrySet()) {
            long requests = entry.getValue().unshared.getAndSet(0);
            if (requests > 0) {
                uses.add(new Use(entry.getKey(), entry.getValue().limit, requests));
            }
        }
        return uses;
    }

    @Override
    public void chargeRemote(Use use) {
        Meter meter = meters.asMap().computeIfAbsent(use.id(), ignored -> new Meter(use.limit(), null, 0));
        meter.charge(use.requests(), nanos.read());
    }

    private Meter meter(TokenId id, RateLimit limit) {
        Meter meter = meters.getIfPresent(id);
        if (meter != null && meter.limit.equals(limit)) {
            return meter;
        }
        // A first request, or the token was edited: the requests it made still count, at its new rate.
        return meters.asMap()
                .compute(
                        id,
                        (ignored, current) -> current != null && current.limit.equals(limit)
                                ? current
                                : new Meter(limit, current, nanos.read()));
    }

    private static final class Meter {
        final RateLimit limit;
        private final long interval;
        /** How far ahead of now the bucket may be full again before a request is refused. */
        private final long tolerance;
        /** How far ahead of now the bucket may be full again at most: one period after empty. */
        private final long debtLimit;
        /** When the bucket will be full again; long ago for a new meter. */
        private final AtomicLong fullAt = new AtomicLong(Long.MIN_VALUE);
        /** Requests let through here that the other nodes of a cluster have not been told of. */
        final AtomicLong unshared = new AtomicLong();

        /** A meter for {@code limit}, behind by the requests still outstanding on {@code previous}. */
        Meter(RateLimit limit, Meter previous, long now) {
            this.limit = limit;
            this.interval = limit.intervalNanos();
            this.tolerance = interval * (limit.requests() - 1);
            this.debtLimit = tolerance + limit.period().toNanos();
            if (previous != null) {
                charge(previous.outstanding(now), now);
                unshared.set(previous.unshared.getAndSet(0));
            }
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
                    unshared.incrementAndGet();
                    return 0;
                }
            }
        }

        /** Advances the bucket by {@code requests} let through elsewhere, up to the debt limit. */
        void charge(long requests, long now) {
            // At most twice the bucket, so that the product cannot overflow: the cap is below that.
            long advance = Math.min(requests, 2L * limit.requests()) * interval;
            while (true) {
                long full = fullAt.get();
                long charged = Math.min(Math.max(full, now) + advance, now + debtLimit);
                if (charged <= full || fullAt.compareAndSet(full, charged)) {
                    return;
                }
            }
        }

        /** How many requests the bucket is still refilling from. */
        long outstanding(long now) {
            long full = fullAt.get();
            return full <= now ? 0 : (full - now) / interval;
        }
    }
}
