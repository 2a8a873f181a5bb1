package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Credentials that worked from a client address, for {@link LoginThrottle}: each kept as an HMAC
 * of address and credentials under a random key that lives only in this process, so that neither
 * a token nor a password, nor anything that could be checked against one offline, is kept.
 * Bounded, and forgotten {@code ttl} after they last worked.
 */
final class VouchedCredentials {
    private final ProcessHmac hmac = new ProcessHmac();
    private final Cache<String, Boolean> vouched;

    VouchedCredentials(Duration ttl, Clock clock) {
        this.vouched = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(ttl)
                .ticker(LoginThrottle.ticker(clock))
                .build();
    }

    void put(String clientIp, CharSequence credentials) {
        vouched.put(digest(clientIp, credentials), Boolean.TRUE);
    }

    boolean contains(String clientIp, CharSequence credentials) {
        return vouched.getIfPresent(digest(clientIp, credentials)) != null;
    }

    private String digest(String clientIp, CharSequence credentials) {
        return hmac.of(clientIp, credentials);
    }
}
