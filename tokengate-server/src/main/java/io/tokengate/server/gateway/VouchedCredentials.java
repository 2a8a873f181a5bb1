package io.tokengate.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokengate.core.TokengateException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials that worked from a client address, for {@link LoginThrottle}: each kept as an HMAC
 * of address and credentials under a random key that lives only in this process, so that neither
 * a token nor a password, nor anything that could be checked against one offline, is kept.
 * Bounded, and forgotten {@code ttl} after they last worked.
 */
final class VouchedCredentials {
    private final SecretKeySpec key;
    private final Cache<String, Boolean> vouched;

    VouchedCredentials(Duration ttl, Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
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
        CharBuffer chars = CharBuffer.allocate(clientIp.length() + 1 + credentials.length());
        chars.put(clientIp).put('\0').put(CharBuffer.wrap(credentials)).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(bytes);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new TokengateException("HmacSHA256 is not available in this JVM", e);
        } finally {
            Arrays.fill(chars.array(), '\0');
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }
}
