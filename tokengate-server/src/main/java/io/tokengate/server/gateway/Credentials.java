package io.tokengate.server.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What a client presented in its {@code Authorization} header: Basic {@code USER:TOKEN} or Bearer
 * {@code TOKEN}. The secret text is unverified; {@link #toString()} never prints it. Public for
 * the benchmarks' reference proxy ({@code tokengate-bench}), which parses as the gateway does.
 */
public final class Credentials {
    public enum Scheme {
        BASIC,
        BEARER
    }

    /** Longest Authorization header value read; tokens and user names are far shorter. */
    static final int MAX_HEADER = 4096;

    private final Scheme scheme;
    private final String user;
    private final String secret;

    private Credentials(Scheme scheme, String user, String secret) {
        this.scheme = scheme;
        this.user = user;
        this.secret = secret;
    }

    /**
     * Reads an Authorization header value; empty when it is absent, not Basic or Bearer, or
     * malformed (bad base64, not UTF-8, no colon, empty user or secret).
     */
    public static Optional<Credentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER) {
            return Optional.empty();
        }
        int space = header.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String value = header.substring(space + 1).strip();
        if (isScheme(header, space, "bearer")) {
            return value.isEmpty() || value.indexOf(' ') >= 0
                    ? Optional.empty()
                    : Optional.of(new Credentials(Scheme.BEARER, null, value));
        }
        if (!isScheme(header, space, "basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = utf8(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        for (int i = 0; i < colon; i++) {
            if (Character.isISOControl(decoded.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Credentials(Scheme.BASIC, decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** Whether the header's first {@code length} characters are {@code scheme}, in any case. */
    private static boolean isScheme(String header, int length, String scheme) {
        return length == scheme.length() && header.regionMatches(true, 0, scheme, 0, length);
    }

    /**
     * The bytes as UTF-8, refusing malformed input rather than replacing it. ASCII, what nearly
     * every client sends, is decoded without a decoder of its own.
     */
    private static String utf8(byte[] bytes) throws CharacterCodingException {
        for (byte b : bytes) {
            if (b < 0) {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The Basic user name; null for Bearer. */
    public String user() {
        return user;
    }

    /** The presented secret, unverified. */
    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "Credentials[" + scheme + (user == null ? "" : ", user=" + user) + ", secret=redacted]";
    }
}
