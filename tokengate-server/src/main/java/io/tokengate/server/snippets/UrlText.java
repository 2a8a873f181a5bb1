package io.tokengate.server.snippets;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Turns a typed path and query into URL text every client sends unchanged. */
final class UrlText {
    /** RFC 3986 unreserved and reserved characters, less '#', '[' and ']'. */
    private static final String KEPT = "-._~!$&'()*+,;=:@/?";

    private UrlText() {}

    /**
     * Percent-encodes (as UTF-8) every character a URL cannot hold as it is: spaces, controls,
     * non-ASCII, {@code " < > \ ^ ` { | } [ ] #}, and a {@code %} that does not start a valid
     * {@code %XX} escape. Valid escapes and all reserved characters are kept, so what the person
     * wrote keeps its meaning. The result is printable ASCII; {@code [ ] { }} are encoded because
     * curl would read them as glob patterns.
     */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isKept(cp) || cp == '%' && isEscape(text, i)) {
                out.append((char) cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Chars.hex(b & 0xff, 2));
                }
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** Whether a path has a {@code .} or {@code ..} segment, also spelt with {@code %2e}. */
    static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            String plain = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (plain.equals(".") || plain.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKept(int cp) {
        return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' || KEPT.indexOf(cp) >= 0;
    }

    private static boolean isEscape(String text, int percent) {
        return percent + 2 < text.length() && isHex(text.charAt(percent + 1)) && isHex(text.charAt(percent + 2));
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
