package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokengate.core.cluster.SharedCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slows down guessing: after {@code maxFailures} failed logins from one client address within
 * {@code window}, that address gets 429 until the window has passed since its last failure. The
 * table of addresses is bounded, so a flood of addresses cannot exhaust memory. In a cluster the
 * nodes add up their counts ({@link SharedCounts}): an address is throttled for the failures it
 * made on any node, once the others have heard of them (within a fraction of a second). The admin
 * plane uses its own instance for failed sign-ins.
 */
public final class LoginThrottle implements SharedCounts {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Failures> failures;

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(window)
                .ticker(ticker(clock))
                .build();
    }

    /** Caffeine's time from {@code clock}, so that tests can move it. */
    static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** Seconds until {@code clientIp} may try again; 0 when it is not blocked. */
    public long blockedForSeconds(String clientIp) {
        if (maxFailures <= 0) {
            return 0;
        }
        Failures entry = failures.getIfPresent(clientIp);
        if (entry == null || entry.count.get() < maxFailures) {
            return 0;
        }
        Duration left = Duration.between(clock.instant(), entry.last.plus(window));
        return Math.max(1, left.toSeconds());
    }

    public void recordFailure(String clientIp) {
        if (maxFailures <= 0) {
            return;
        }
        Failures entry = touch(clientIp);
        entry.count.incrementAndGet();
        entry.unshared.incrementAndGet();
    }

    /** The entry of {@code clientIp}, its window restarted (a re-put, so that it expires later). */
    private Failures touch(String clientIp) {
        return failures.asMap().compute(clientIp, (ip, old) -> {
            Failures next = old == null ? new Failures() : old;
            next.last = clock.instant();
            return next;
        });
    }

    @Override
    public Map<String, Long> drainLocal() {
        Map<String, Long> drained = new HashMap<>();
        failures.asMap().forEach((ip, entry) -> {
            long n = entry.unshared.getAndSet(0);
            if (n > 0) {
                drained.put(ip, n);
            }
        });
        return drained;
    }

    @Override
    public void addRemote(String clientIp, long count) {
        if (maxFailures <= 0 || count < 1) {
            return;
        }
        Failures entry = touch(clientIp);
        entry.count.accumulateAndGet(
                (int) Math.min(count, maxFailures), (a, b) -> (int) Math.min((long) a + b, Integer.MAX_VALUE));
    }

    private static final class Failures {
        final AtomicInteger count = new AtomicInteger();
        /** Failures counted here that the other nodes of a cluster have not been told of. */
        final AtomicLong unshared = new AtomicLong();

        volatile Instant last;
    }
}
