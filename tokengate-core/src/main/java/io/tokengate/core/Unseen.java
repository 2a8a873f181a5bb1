package io.tokengate.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Characters that change how text reads without being seen: control characters, Unicode format
 * characters (bidirectional overrides and isolates such as U+202E, zero-width spaces and joiners,
 * the byte-order mark) and the line and paragraph separators. A token name, a user name or a line
 * of limits holding one can show an administrator something other than what it is: a rule that
 * allows every URL can read as a comment, {@code ad\u200Bmin} as {@code admin}.
 */
public final class Unseen {
    private Unseen() {}

    /** Whether {@code codePoint} is one of them; a tab counts only when {@code tabAllowed} is false. */
    public static boolean is(int codePoint, boolean tabAllowed) {
        if (codePoint == '\t') {
            return !tabAllowed;
        }
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The index of the first such character in {@code text[from, to)}, or -1. */
    public static int indexIn(CharSequence text, int from, int to, boolean tabAllowed) {
        for (int i = from; i < to; ) {
            int codePoint = Character.codePointAt(text, i);
            if (is(codePoint, tabAllowed)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** What is wrong with {@code text}, naming its first such character; empty when nothing is. */
    public static Optional<String> find(CharSequence text) {
        int at = indexIn(text, 0, text.length(), false);
        return at < 0 ? Optional.empty() : Optional.of(describe(Character.codePointAt(text, at)));
    }

    /** {@code the control character U+001B}, {@code the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)}. */
    public static String describe(int codePoint) {
        String name = Character.getName(codePoint);
        String number = String.format(Locale.ROOT, "U+%04X", codePoint);
        if (Character.isISOControl(codePoint)) {
            return "the control character " + number;
        }
        return "the invisible character " + number + (name == null ? "" : " (" + name + ")");
    }
}
