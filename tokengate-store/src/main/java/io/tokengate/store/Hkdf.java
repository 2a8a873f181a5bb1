package io.tokengate.store;

import io.tokengate.core.TokengateException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): independent keys for independent purposes from one master key. */
final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final byte[] SALT = "tokengate key file v1".getBytes(StandardCharsets.US_ASCII);

    private Hkdf() {}

    /** {@code length} bytes (at most 255 * 32) of key material for {@code purpose}. */
    static byte[] derive(byte[] master, String purpose, int length) {
        try {
            byte[] prk = hmac(SALT, master);
            byte[] info = purpose.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int done = 0;
            for (int counter = 1; done < length; counter++) {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(prk, HMAC));
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new TokengateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(key, HMAC));
        return mac.doFinal(data);
    }
}
