package io.tokengate.server.admin;

import io.tokengate.core.Sha256;
import io.tokengate.server.config.AdminConfig;
import io.tokengate.server.users.Principal;
import io.tokengate.store.AdminSession;
import io.tokengate.store.JdbcSessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;

/**
 * Sign-in sessions: a random 256-bit cookie value, stored in the database only as its SHA-256
 * (so any node accepts it, and a copy of the table is no key), ending after {@code
 * admin.session.idle.minutes} without use or {@code admin.session.max.hours} after sign-in,
 * whichever comes first. Each session has a CSRF token derived from the cookie value, which
 * cookie-authenticated requests that change something must echo in {@code X-CSRF-Token}.
 */
final class Sessions {
    static final String COOKIE = "tokengate_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final JdbcSessionStore store;
    private final AdminConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Sessions(JdbcSessionStore store, AdminConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** A new session's cookie value, CSRF token and absolute end. */
    record Started(String cookieValue, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Started[expiresAt=" + expiresAt + "]";
        }
    }

    /** A session in force: who it is for, and its CSRF token. */
    record Active(Principal principal, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Active[" + principal.name() + ", expiresAt=" + expiresAt + "]";
        }
    }

    Started start(Principal principal) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        store.deleteExpired(now, now.minus(config.sessionIdle()));
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant expiresAt = now.plus(config.sessionMax());
        store.create(new AdminSession(
                digest(value), principal.name(), principal.role(), principal.source(), now, now, expiresAt));
        return new Started(value, csrfToken(value), expiresAt);
    }

    /** The session the cookie value names, if it is still in force; ends it when it is not. */
    Optional<Active> find(String cookieValue) {
        if (cookieValue == null || !COOKIE_VALUE.matcher(cookieValue).matches()) {
            return Optional.empty();
        }
        String digest = digest(cookieValue);
        Optional<AdminSession> found = store.find(digest);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AdminSession session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt())
                || !now.isBefore(session.lastSeenAt().plus(config.sessionIdle()))) {
            store.delete(digest);
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(TOUCH_EVERY))) {
            store.touch(digest, now);
        }
        return Optional.of(new Active(
                new Principal(session.user(), session.role(), session.source()),
                csrfToken(cookieValue),
                session.expiresAt()));
    }

    void end(String cookieValue) {
        if (cookieValue != null && COOKIE_VALUE.matcher(cookieValue).matches()) {
            store.delete(digest(cookieValue));
        }
    }

    void endAll(String user) {
        store.deleteForUser(user);
    }

    /**
     * Ends every session of {@code user} but {@code keep} (a cookie value), if given: a new
     * password ends the sessions it was not given in.
     *
     * @return how many ended
     */
    int endAllBut(String user, Optional<String> keep) {
        return keep.isPresent() ? store.deleteForUserExcept(user, digest(keep.get())) : store.deleteForUser(user);
    }

    /**
     * The {@code Set-Cookie} of a new session: HttpOnly, SameSite=Strict, and Secure when the admin
     * plane is reached over https, its own TLS ({@code tls}: the sign-in came over it) or a proxy's
     * ({@code admin.public.url}). A cookie set over https without Secure would go along with any
     * plain http request to the same host, whatever its port, where anyone on the network reads it.
     */
    HttpCookie cookie(Started started, boolean tls) {
        return HttpCookie.build(COOKIE, started.cookieValue())
                .path("/")
                .httpOnly(true)
                .secure(tls || config.secureCookie())
                .sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(config.sessionMax().toSeconds())
                .build();
    }

    /** The {@code Set-Cookie} that makes a browser forget the session; {@code tls} as for {@link #cookie}. */
    HttpCookie clearingCookie(boolean tls) {
        return HttpCookie.build(COOKIE, "")
                .path("/")
                .httpOnly(true)
                .secure(tls || config.secureCookie())
                .sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(0)
                .build();
    }

    /** Whether {@code presented} is the CSRF token of the session {@code cookieValue}, in constant time. */
    static boolean csrfMatches(String cookieValue, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        csrfToken(cookieValue).getBytes(StandardCharsets.US_ASCII),
                        presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Derived, not stored: only the holder of the cookie value can compute it. */
    static String csrfToken(String cookieValue) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of("tokengate csrf\0" + cookieValue));
    }

    static String digest(String cookieValue) {
        return Sha256.hex(cookieValue);
    }
}
