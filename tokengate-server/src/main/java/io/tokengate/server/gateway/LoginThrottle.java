package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down guessing: after {@code maxFailures} failed logins from one client address within
 * {@code window}, that address gets 429 until the window has passed since its last failure. The
 * table of addresses is bounded, so a flood of addresses cannot exhaust memory; per node (a
 * cluster multiplies the allowance by its size, which is still far below what guessing needs).
 * The admin plane uses its own instance for failed sign-ins.
 */
public final class LoginThrottle {
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
        Failures entry = failures.asMap().compute(clientIp, (ip, old) -> {
            Failures next = old == null ? new Failures() : old;
            next.last = clock.instant();
            return next; // re-put: each failure restarts the window
        });
        entry.count.incrementAndGet();
    }

    private static final class Failures {
        final AtomicInteger count = new AtomicInteger();
        volatile Instant last;
    }
}
