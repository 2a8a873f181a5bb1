package io.tokengate.server.gateway;

import io.tokengate.core.TokengateException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under a random key that lives only in this process: for remembering that a secret
 * (a password, a token) was seen, without keeping it, or anything that could be checked against
 * it offline. Thread-safe.
 */
public final class ProcessHmac {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public ProcessHmac() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /**
     * The HMAC of {@code first}, a NUL and {@code second}, in UTF-8, as hex; the copies made of
     * them here are wiped.
     */
    public String of(CharSequence first, CharSequence second) {
        CharBuffer chars = CharBuffer.allocate(first.length() + 1 + second.length());
        chars.put(CharBuffer.wrap(first)).put('\0').put(CharBuffer.wrap(second)).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(bytes);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new TokengateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            Arrays.fill(chars.array(), '\0');
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "ProcessHmac[" + ALGORITHM + "]";
    }
}
