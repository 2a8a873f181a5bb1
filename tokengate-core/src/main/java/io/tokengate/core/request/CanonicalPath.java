package io.tokengate.core.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reading of a request path that tokengate both authorizes and forwards.
 *
 * <p>A raw path is refused when two servers could read it differently: a dot segment ({@code .}
 * or {@code ..}, also when percent-encoded), an encoded {@code /}, {@code \}, {@code %}, {@code ;}
 * or NUL, a raw {@code \} or {@code ;} (Tomcat path parameters), a control character, a character
 * that RFC 3986 does not allow in a path, invalid percent-encoding or invalid UTF-8. Otherwise
 * repeated slashes are merged and the rest is decoded; that decoded path is what restrictions
 * match, and its re-encoding (every byte outside the RFC 3986 path characters escaped) is what the
 * upstream receives, so that both see the same segments.
 */
public final class CanonicalPath {
    private final String decoded;
    private final String encoded;

    private CanonicalPath(String decoded, String encoded) {
        this.decoded = decoded;
        this.encoded = encoded;
    }

    /**
     * Canonicalizes the path of a request target (without its query).
     *
     * @throws MalformedRequestException when the path is ambiguous or invalid
     */
    public static CanonicalPath parse(String rawPath) {
        boolean escaped = checkRaw(rawPath);
        return escaped || !isPlain(rawPath) ? decode(rawPath) : new CanonicalPath(rawPath, rawPath);
    }

    /** {@link #parse} without its shortcut for paths already canonical; for the test of that shortcut. */
    static CanonicalPath parseFully(String rawPath) {
        checkRaw(rawPath);
        return decode(rawPath);
    }

    /** Refuses a path that does not start with '/' or has a character never allowed; true if it has escapes. */
    private static boolean checkRaw(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new MalformedRequestException("the request path must start with '/'");
        }
        boolean escaped = false;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            checkRawCharacter(c);
            escaped |= c == '%';
        }
        return escaped;
    }

    /**
     * Whether a path of allowed, unescaped characters is already canonical: no empty segment to
     * merge and no dot segment to refuse. Its decoding and its re-encoding are then the path itself,
     * as {@link #decode} would find at greater cost (the test compares the two).
     */
    private static boolean isPlain(String rawPath) {
        int start = 1;
        while (start < rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            int length = end - start;
            if (length == 0 || (length <= 2 && rawPath.charAt(start) == '.' && rawPath.charAt(end - 1) == '.')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** The full reading of a path of allowed characters: each segment decoded, checked, re-encoded. */
    private static CanonicalPath decode(String rawPath) {
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            if (end > start) {
                String segment =
                        PercentDecoder.decode(rawPath, start, end, false, CanonicalPath::refuseEscaped, "path");
                if (segment.equals(".") || segment.equals("..")) {
                    throw new MalformedRequestException("dot segment '" + segment + "' in path");
                }
                segments.add(segment);
            }
            start = end + 1;
        }
        boolean trailingSlash = rawPath.length() > 1 && rawPath.endsWith("/") && !segments.isEmpty();
        StringBuilder decoded = new StringBuilder(rawPath.length());
        StringBuilder encoded = new StringBuilder(rawPath.length());
        for (String segment : segments) {
            decoded.append('/').append(segment);
            encoded.append('/');
            encodeSegment(segment, encoded);
        }
        if (segments.isEmpty() || trailingSlash) {
            decoded.append('/');
            encoded.append('/');
        }
        return new CanonicalPath(decoded.toString(), encoded.toString());
    }

    private static void checkRawCharacter(char c) {
        if (c < 0x20 || c == 0x7f) {
            throw new MalformedRequestException("control character in path");
        }
        if (c == '\\') {
            throw new MalformedRequestException("backslash in path");
        }
        if (c == ';') {
            throw new MalformedRequestException("';' in path (path parameters are not accepted)");
        }
        if (c >= 0x80) {
            throw new MalformedRequestException("non-ASCII character in path (percent-encode it as UTF-8)");
        }
        if (!isPathCharacter(c) && c != '/' && c != '%') {
            throw new MalformedRequestException("character '" + c + "' is not allowed in a path");
        }
    }

    private static String refuseEscaped(int b) {
        switch (b) {
            case '/':
                return "encoded '/' (%2F)";
            case '\\':
                return "encoded '\\' (%5C)";
            case '%':
                return "encoded '%' (%25)";
            case ';':
                return "encoded ';' (%3B)";
            case 0:
                return "encoded NUL (%00)";
            default:
                return b < 0x20 || b == 0x7f ? String.format("encoded control character (%%%02X)", b) : null;
        }
    }

    /** RFC 3986 pchar without '%' and ';': unreserved, sub-delims other than ';', ':' and '@'. */
    private static boolean isPathCharacter(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
    }

    private static void encodeSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && isPathCharacter(c)) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** The decoded path, e.g. {@code /rest/api/2/issue/JRA-1}: what restrictions match. */
    public String value() {
        return decoded;
    }

    /** The path as forwarded upstream: {@link #value()} re-encoded. */
    public String encoded() {
        return encoded;
    }

    /**
     * Whether this path lies under the endpoint {@code prefix} (for example {@code /rest/}), whose
     * trailing slash is implied: {@code /rest/api} is under {@code /rest}, {@code /restore} is not.
     */
    public boolean isUnder(String prefix) {
        return decoded.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /**
     * {@link #isUnder}, with letters compared ignoring case as {@link String#regionMatches(boolean,
     * int, String, int, int)} compares them (so {@code ſ} reads as {@code s}, the Kelvin sign as
     * {@code k}), and true for the prefix's own path without its slash too: for a prefix that
     * keeps requests out, since Jira's plugin path mapper sends {@code /rest/PAT/...} to the module
     * that answers at {@code /rest/pat/}, and {@code /rest/pat} names that module as well, so the
     * gateway cannot know it reaches nothing there.
     */
    public boolean isUnderIgnoringCase(String prefix) {
        String under = prefix.endsWith("/") ? prefix : prefix + "/";
        int bare = under.length() - 1;
        return decoded.regionMatches(true, 0, under, 0, under.length())
                || (decoded.length() == bare && decoded.regionMatches(true, 0, under, 0, bare));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CanonicalPath that && decoded.equals(that.decoded);
    }

    @Override
    public int hashCode() {
        return decoded.hashCode();
    }

    @Override
    public String toString() {
        return decoded;
    }
}
