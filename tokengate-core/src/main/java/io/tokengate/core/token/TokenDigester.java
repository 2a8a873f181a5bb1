package io.tokengate.core.token;

import io.tokengate.core.TokengateException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digests token secrets with HMAC-SHA256 under the server's pepper (from the key file). One
 * digest per request costs about a microsecond, which is why tokens are never hashed with a slow
 * KDF: they carry 190 random bits, so a fast keyed hash is already beyond brute force.
 *
 * <p>Thread-safe.
 */
public final class TokenDigester {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public TokenDigester(byte[] pepper) {
        if (pepper.length < 32) {
            throw new IllegalArgumentException("the pepper needs at least 32 bytes, got " + pepper.length);
        }
        this.key = new SecretKeySpec(pepper.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac(); // fail at construction, not on the first request
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new TokengateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    public TokenDigest digest(TokenSecret secret) {
        Mac mac = macs.get();
        return TokenDigest.of(mac.doFinal(secret.reveal().getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public String toString() {
        return "TokenDigester[HmacSHA256]";
    }
}
