package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokengate.core.cluster.SharedCounts;
import java.net.InetAddress;
import java.nio.CharBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Slows down guessing: after {@code maxFailures} failed logins from one client address within
 * {@code window}, that address gets 429 until the window has passed since its last failure. The
 * table of addresses is bounded, so a flood of addresses cannot exhaust memory. In a cluster the
 * nodes add up their counts ({@link SharedCounts}): an address is throttled for the failures it
 * made on any node, once the others have heard of them (within a fraction of a second). The admin
 * plane uses its own instance for failed sign-ins.
 *
 * <p>Credentials that worked from an address after it began failing are vouched for there: while
 * the address is throttled they still may be checked ({@link #vouchedFor}). A job whose token was
 * revoked or rotated away fails on and on from a CI runner or a NAT address, and the other jobs
 * there, whose tokens work, must not be locked out with it; guesses, which never worked, stay
 * locked out. On the admin plane the same holds for a user name and password: an administrator
 * whose password worked from an address since its first failure is not locked out of it by a
 * script there with a wrong one. What is vouched for is this node's alone: it worked here.
 *
 * <p>An admin may lift the throttle of an address ({@link #forget}): its failures are forgotten,
 * so its next login is checked as any other; in a cluster every node forgets them, as told through
 * {@link SharedCounts#forget}. What worked from it stays vouched for.
 */
public final class LoginThrottle implements SharedCounts {
    /** How long credentials stay vouched for after they last worked. */
    static final Duration VOUCHED_FOR = Duration.ofDays(1);

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Failures> failures;
    /** Sign-ins being checked now, by address; an address is here only while one is. */
    private final ConcurrentHashMap<String, Integer> inCheck = new ConcurrentHashMap<>();
    /** Credentials that worked from an address while it had failures. */
    private final VouchedCredentials vouched;

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(window)
                .ticker(ticker(clock))
                .build();
        this.vouched = new VouchedCredentials(VOUCHED_FOR, clock);
    }

    /**
     * The command that lifts {@code clientIp}'s throttle on {@code plane}, as the log suggests it:
     * with {@code --server adminUrl} when the admin plane's address is known, so that it runs as
     * printed (the command works only on a running server).
     */
    public static String liftCommand(String clientIp, String plane, String adminUrl) {
        return "tokengate throttle lift " + clientIp + " --plane " + plane
                + (adminUrl == null ? " --server URL-OF-THE-ADMIN-PLANE" : " --server " + adminUrl);
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

    /**
     * Begins a sign-in from {@code clientIp} whose check takes a while (a password hash): 0 when
     * it may go ahead, else the seconds to wait. Checks under way count against the address as
     * the failures they may turn out to be, so that guesses sent at once cannot all pass before
     * the first of them is counted: failures and checks under way together stay within {@code
     * maxFailures}. Every 0 must be followed by {@link #endAttempt}, after any {@link
     * #recordFailure}.
     */
    public long beginAttempt(String clientIp) {
        if (maxFailures <= 0) {
            return 0;
        }
        // Counted first, then the failures read: an attempt that records its failure and ends
        // in between is then seen by one of the two counts, never by neither.
        // (A blocked address, failures >= maxFailures, is refused here too, with its wait.)
        int[] checking = new int[1];
        inCheck.compute(clientIp, (ip, n) -> checking[0] = (n == null ? 0 : n) + 1);
        Failures entry = failures.getIfPresent(clientIp);
        int failed = entry == null ? 0 : entry.count.get();
        if (checking[0] + failed > maxFailures) {
            endAttempt(clientIp);
            return Math.max(blockedForSeconds(clientIp), 1);
        }
        return 0;
    }

    /** Ends a sign-in that {@link #beginAttempt} let go ahead. */
    public void endAttempt(String clientIp) {
        if (maxFailures > 0) {
            inCheck.computeIfPresent(clientIp, (ip, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * Counts a failed login from {@code clientIp}.
     *
     * @return whether this failure throttles the address
     */
    public boolean recordFailure(String clientIp) {
        if (maxFailures <= 0) {
            return false;
        }
        Failures entry = touch(clientIp);
        entry.unshared.incrementAndGet();
        return entry.count.incrementAndGet() == maxFailures;
    }

    /**
     * {@code credentials} (the {@code Authorization} value) just worked from {@code clientIp}:
     * vouched for there while the address has failures in its window. Nothing is kept for an
     * address without failures; only a digest is kept.
     */
    public void succeeded(String clientIp, String credentials) {
        if (maxFailures > 0 && failures.getIfPresent(clientIp) != null) {
            vouched.put(clientIp, credentials);
        }
    }

    /** {@code user}'s {@code password} just worked from {@code clientIp}: as {@link #succeeded(String, String)}. */
    public void succeeded(String clientIp, String user, char[] password) {
        if (maxFailures > 0 && failures.getIfPresent(clientIp) != null) {
            withSignIn(user, password, signIn -> {
                vouched.put(clientIp, signIn);
                return true;
            });
        }
    }

    /** Whether {@code credentials} worked from {@code clientIp} since it began failing (within {@link #VOUCHED_FOR}). */
    public boolean vouchedFor(String clientIp, String credentials) {
        return maxFailures > 0 && vouched.contains(clientIp, credentials);
    }

    /** Whether {@code user}'s {@code password} worked from {@code clientIp} since it began failing. */
    public boolean vouchedFor(String clientIp, String user, char[] password) {
        return maxFailures > 0 && withSignIn(user, password, signIn -> vouched.contains(clientIp, signIn));
    }

    /** Applies {@code use} to user name and password as one text, wiped after. */
    private static boolean withSignIn(String user, char[] password, Predicate<CharSequence> use) {
        CharBuffer signIn = CharBuffer.allocate(user.length() + 1 + password.length);
        signIn.put(user).put('\0').put(password).flip();
        try {
            return use.test(signIn);
        } finally {
            Arrays.fill(signIn.array(), '\0');
        }
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

    /**
     * The addresses with failed logins in their window now: throttled ones first, then by most
     * failures. At most as many as the table holds (100 000).
     */
    public List<Failing> failing() {
        if (maxFailures <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Failing> failing = new ArrayList<>();
        failures.asMap().forEach((ip, entry) -> {
            Failing one = describe(ip, entry, now);
            if (one.failures() > 0 && one.until().isAfter(now)) {
                failing.add(one);
            }
        });
        failing.sort(Comparator.comparing(Failing::throttled)
                .reversed()
                .thenComparing(Comparator.comparingInt(Failing::failures).reversed())
                .thenComparing(Failing::address));
        return failing;
    }

    private Failing describe(String ip, Failures entry, Instant now) {
        int count = entry.count.get();
        Instant until = entry.last.plus(window);
        boolean throttled = count >= maxFailures && until.isAfter(now);
        return new Failing(ip, count, throttled, entry.last, until);
    }

    /**
     * Forgets the failed logins of {@code address}, however the address was written down (an IPv6
     * address with or without brackets): its next login is checked as any other.
     *
     * @return what was counted of it; empty when nothing was
     */
    public Optional<Failing> forget(InetAddress address) {
        return counted(address, true);
    }

    /** What is counted of {@code address} now, as {@link #forget} would find it, forgetting nothing. */
    public Optional<Failing> counted(InetAddress address) {
        return counted(address, false);
    }

    private Optional<Failing> counted(InetAddress address, boolean forget) {
        String plain = address.getHostAddress();
        Instant now = clock.instant();
        Failing found = null;
        for (String key : List.of(plain, "[" + plain + "]")) {
            Failures entry = forget ? failures.asMap().remove(key) : failures.getIfPresent(key);
            if (entry != null && found == null) {
                found = describe(key, entry, now);
            }
        }
        return Optional.ofNullable(found).filter(f -> f.failures() > 0);
    }

    /** Forgets {@code key}, an address, as another node asked; anything else is ignored. */
    @Override
    public void forget(String key) {
        ClientAddress.parse(key).ifPresent(this::forget);
    }

    /**
     * One client address and its failed logins in the window.
     *
     * @param address as the throttle counts it (the client address of the requests)
     * @param throttled whether it gets 429 now
     * @param lastFailure when it last failed, as this node knows it
     * @param until when its failures are forgotten, and so its throttle ends
     */
    public record Failing(String address, int failures, boolean throttled, Instant lastFailure, Instant until) {}

    private static final class Failures {
        final AtomicInteger count = new AtomicInteger();
        /** Failures counted here that the other nodes of a cluster have not been told of. */
        final AtomicLong unshared = new AtomicLong();

        volatile Instant last;
    }
}
