package io.tokengate.core.token;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The keyed digest of a token secret: what the store keeps and looks tokens up by. It cannot be
 * turned back into the secret, and without the server key it cannot be computed from one.
 */
public final class TokenDigest {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] bytes;

    private TokenDigest(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    static TokenDigest of(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a token digest has 32 bytes, got " + bytes.length);
        }
        return new TokenDigest(bytes);
    }

    /** The digest stored as 64 lower-case hex characters. */
    public static TokenDigest fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a token digest has 64 hex characters, got " + hex.length());
        }
        return of(HEX.parseHex(hex));
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenDigest that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        // The first four bytes of an HMAC output are uniformly distributed and reveal nothing usable.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
        return "TokenDigest[" + hex().substring(0, 8) + "…]";
    }
}
