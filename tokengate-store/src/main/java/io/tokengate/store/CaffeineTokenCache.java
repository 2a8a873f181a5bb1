package io.tokengate.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokengate.core.token.TokenCache;
import io.tokengate.core.token.TokenDigest;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.VerifiedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Tokens by digest, so that a known token is verified with no database round trip. Entries live
 * at most the TTL (the backstop), negative entries at most {@value #NEGATIVE_TTL_SECONDS} s.
 *
 * <p>Fails closed: while {@code trusted} says no (the cluster listener is down, so a change on
 * another node could go unnoticed) every lookup goes to the database and nothing is cached.
 *
 * <p>Invalidation wins over concurrent loads: each invalidation bumps a generation number, and a
 * load whose generation changed while it read the database does not keep its (possibly stale)
 * result in the cache.
 */
final class CaffeineTokenCache implements TokenCache {
    static final int NEGATIVE_TTL_SECONDS = 5;
    private static final long MAX_ENTRIES = 100_000;

    private final Cache<TokenDigest, Optional<VerifiedToken>> cache;
    private final BooleanSupplier trusted;
    private final AtomicLong generation = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypassed = new LongAdder();
    private final boolean enabled;

    CaffeineTokenCache(Duration ttl, Clock clock, BooleanSupplier trusted) {
        this.trusted = trusted;
        this.enabled = !ttl.isZero();
        long positiveNanos = ttl.toNanos();
        long negativeNanos = Math.min(positiveNanos, TimeUnit.SECONDS.toNanos(NEGATIVE_TTL_SECONDS));
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .ticker(() -> nanos(clock.instant()))
                .executor(Runnable::run)
                .expireAfter(new Expiry<TokenDigest, Optional<VerifiedToken>>() {
                    @Override
                    public long expireAfterCreate(TokenDigest key, Optional<VerifiedToken> value, long now) {
                        return value.isPresent() ? positiveNanos : negativeNanos;
                    }

                    @Override
                    public long expireAfterUpdate(
                            TokenDigest key, Optional<VerifiedToken> value, long now, long currentDuration) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(
                            TokenDigest key, Optional<VerifiedToken> value, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /** Whether entries may be served now: caching is on and the cluster listener is up. */
    private boolean serving() {
        return enabled && trusted.getAsBoolean();
    }

    @Override
    public Optional<VerifiedToken> get(TokenDigest digest, Function<TokenDigest, Optional<VerifiedToken>> loader) {
        if (!serving()) {
            bypassed.increment();
            return loader.apply(digest);
        }
        Optional<VerifiedToken> cached = cache.getIfPresent(digest);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        long before = generation.get();
        Optional<VerifiedToken> loaded = loader.apply(digest);
        if (generation.get() == before && trusted.getAsBoolean()) {
            cache.put(digest, loaded);
            if (generation.get() != before) {
                // An invalidation ran while we stored: it may have missed our entry.
                cache.asMap().remove(digest, loaded);
            }
        }
        return loaded;
    }

    @Override
    public Optional<VerifiedToken> peek(TokenDigest digest) {
        if (!serving()) {
            return Optional.empty();
        }
        Optional<VerifiedToken> cached = cache.getIfPresent(digest);
        if (cached == null || cached.isEmpty()) {
            return Optional.empty();
        }
        hits.increment();
        return cached;
    }

    @Override
    public void invalidate(TokenId id) {
        generation.incrementAndGet();
        cache.asMap()
                .values()
                .removeIf(value -> value.isEmpty() || value.get().id().equals(id));
    }

    @Override
    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long bypassed() {
        return bypassed.sum();
    }

    long size() {
        return cache.estimatedSize();
    }

    @Override
    public String toString() {
        return "CaffeineTokenCache[size=" + size() + ", hits=" + hits() + ", misses=" + misses() + "]";
    }
}
