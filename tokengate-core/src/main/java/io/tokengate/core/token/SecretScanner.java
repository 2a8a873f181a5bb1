package io.tokengate.core.token;

/**
 * Finds token secrets inside free text (names, paths, queries, reasons), so that text headed for
 * storage or logs can be refused or redacted. Looks for the {@code tgk_} format whether or not its
 * checksum is valid: unlike a secret scanner, which must not cry wolf, this one must not miss a
 * secret mistyped by one character, which would give away all but one character of the real one
 * (42 × 62 guesses). Text that merely has the format is rare enough to hide as well.
 */
public final class SecretScanner {
    /** What a field that {@link #containsSecret contains a secret} is refused with, wherever it is stored. */
    public static final String REFUSED = "contains a token secret; never put a secret here";

    private SecretScanner() {}

    /** Whether {@code text} contains a token secret, or something of its format, anywhere. */
    public static boolean containsSecret(CharSequence text) {
        return text != null && nextSecret(text, 0) >= 0;
    }

    /**
     * {@code text} with each token secret, or anything of its format, replaced by its hint ({@code tgk_…abcd});
     * the same instance when there is none. Null stays null.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        int at = nextSecret(text, 0);
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (at >= 0) {
            out.append(text, copied, at);
            out.append(TokenSecret.PREFIX)
                    .append('…')
                    .append(text, at + TokenSecret.LENGTH - 4, at + TokenSecret.LENGTH);
            copied = at + TokenSecret.LENGTH;
            at = nextSecret(text, copied);
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static int nextSecret(CharSequence text, int from) {
        String string = text.toString();
        int at = string.indexOf(TokenSecret.PREFIX, from);
        while (at >= 0) {
            int end = at + TokenSecret.LENGTH;
            if (end <= string.length() && TokenSecret.hasFormat(string.substring(at, end))) {
                return at;
            }
            at = string.indexOf(TokenSecret.PREFIX, at + 1);
        }
        return -1;
    }
}
