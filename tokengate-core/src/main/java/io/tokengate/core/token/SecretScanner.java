package io.tokengate.core.token;

/**
 * Finds token secrets inside free text (names, paths, queries, reasons), so that text headed for
 * storage or logs can be refused or redacted. Looks for the {@code tgk_} format with a valid
 * checksum, exactly as a secret scanner would.
 */
public final class SecretScanner {
    private SecretScanner() {}

    /** Whether {@code text} contains a well-formed token secret anywhere. */
    public static boolean containsSecret(CharSequence text) {
        return text != null && nextSecret(text, 0) >= 0;
    }

    /**
     * {@code text} with each well-formed token secret replaced by its hint ({@code tgk_…abcd});
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
            if (end <= string.length() && TokenSecret.isWellFormed(string.substring(at, end))) {
                return at;
            }
            at = string.indexOf(TokenSecret.PREFIX, at + 1);
        }
        return -1;
    }
}
