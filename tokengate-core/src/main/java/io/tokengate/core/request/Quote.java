package io.tokengate.core.request;

/** Quotes untrusted input in messages: short, with control and non-ASCII characters escaped. */
public final class Quote {
    private static final int MAX = 64;

    private Quote() {}

    /** At most 64 characters of {@code input}, with anything unprintable written as \\uXXXX. */
    public static String shorten(CharSequence input) {
        StringBuilder out = new StringBuilder();
        int length = Math.min(input.length(), MAX);
        for (int i = 0; i < length; i++) {
            char c = input.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && Character.isISOControl(c)) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (input.length() > MAX) {
            out.append('…');
        }
        return out.toString();
    }
}
