package io.tokengate.core.request;

/** Quotes untrusted input in messages: short, with control and non-ASCII characters escaped. */
public final class Quote {
    private static final int MAX = 64;

    private Quote() {}

    /**
     * At most 64 characters of {@code input}, with anything unprintable written as \\uXXXX and an
     * ellipsis where it was cut.
     *
     * <p>A cut never splits a word (a run of ASCII letters, digits and underscores): the word is
     * left out whole. A token secret is such a word, so a quote holds either all of it, which the
     * audit log's redaction recognises, or none of it; never a fragment too short to recognise.
     */
    public static String shorten(CharSequence input) {
        int length = input.length() <= MAX ? input.length() : cut(input);
        StringBuilder out = new StringBuilder(length + 1);
        for (int i = 0; i < length; i++) {
            char c = input.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && Character.isISOControl(c)) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (length < input.length()) {
            out.append('…');
        }
        return out.toString();
    }

    /** Where to cut an input longer than {@code MAX}: at {@code MAX}, or before the word it splits. */
    private static int cut(CharSequence input) {
        int at = MAX;
        if (isWordChar(input.charAt(at))) {
            while (at > 0 && isWordChar(input.charAt(at - 1))) {
                at--;
            }
        }
        return at;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
