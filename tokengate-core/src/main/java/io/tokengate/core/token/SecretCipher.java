package io.tokengate.core.token;

import io.tokengate.core.TokengateException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored secrets with AES-256-GCM under the server's encryption key (from the key file).
 * Each ciphertext is bound to its context through GCM's associated data (for a token secret: the
 * token id), so a ciphertext copied into another row does not decrypt.
 *
 * <p>Format: version byte {@code 1}, 12-byte random nonce, ciphertext with 16-byte tag.
 * Thread-safe.
 */
public final class SecretCipher {
    private static final byte VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final String TOKEN_CONTEXT = "tokengate/token-secret/v1/";

    private final SecretKeySpec key;
    private final SecureRandom random;

    public SecretCipher(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
        seal("self-test".getBytes(StandardCharsets.US_ASCII), new byte[1]); // fail at construction
    }

    /** The secret of token {@code id}, encrypted for storage in that token's row. */
    public byte[] seal(TokenId id, TokenSecret secret) {
        return seal(tokenContext(id), secret.reveal().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The secret sealed by {@link #seal(TokenId, TokenSecret)} for the same token.
     *
     * @throws TokengateException when the ciphertext was not made for this token with this key
     */
    public TokenSecret open(TokenId id, byte[] sealed) {
        byte[] plain = open(tokenContext(id), sealed);
        String text = new String(plain, StandardCharsets.US_ASCII);
        Arrays.fill(plain, (byte) 0);
        return TokenSecret.parse(text)
                .orElseThrow(
                        () -> new TokengateException("the stored secret of token " + id + " is not a token secret"));
    }

    /** Encrypts {@code plaintext}, binding it to {@code context} (any bytes naming its place). */
    public byte[] seal(byte[] context, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            byte[] body = cipher.doFinal(plaintext);
            byte[] out = new byte[1 + NONCE_LENGTH + body.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
            System.arraycopy(body, 0, out, 1 + NONCE_LENGTH, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new TokengateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts what {@link #seal(byte[], byte[])} made for the same {@code context}.
     *
     * @throws TokengateException when the data was altered, made for another context or under
     *     another key
     */
    public byte[] open(byte[] context, byte[] sealed) {
        if (sealed.length < 1 + NONCE_LENGTH + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new TokengateException("encrypted value has an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_LENGTH));
            cipher.updateAAD(context);
            return cipher.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new TokengateException(
                    "encrypted value does not decrypt: it was altered, moved from another row, or made with"
                            + " another key file");
        } catch (GeneralSecurityException e) {
            throw new TokengateException("AES-GCM decryption failed", e);
        }
    }

    private static byte[] tokenContext(TokenId id) {
        return (TOKEN_CONTEXT + id.value()).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "SecretCipher[AES-256-GCM]";
    }
}
