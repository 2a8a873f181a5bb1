package io.tokengate.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Characters that change how text reads without being seen: control characters, Unicode format
 * characters (bidirectional overrides and isolates such as U+202E, zero-width spaces and joiners,
 * the byte-order mark), the other default-ignorable code points (variation selectors, fillers)
 * and the line and paragraph separators. A token name, a user name or a line
 * of limits holding one can show an administrator something other than what it is: a rule that
 * allows every URL can read as a comment, {@code ad\u200Bmin} as {@code admin}.
 */
public final class Unseen {
    private Unseen() {}

    /**
     * The default-ignorable code points outside the format characters, which renderers draw as
     * nothing (Unicode's {@code Default_Ignorable_Code_Point}): variation selectors, the combining
     * grapheme joiner, Hangul fillers, Mongolian and Khmer ones, noncharacters reserved for it.
     * Pairs of first and last code point.
     */
    private static final int[] IGNORABLE = {
        0x034F, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180F, 0x2065, 0x2065, 0x3164, 0x3164, 0xFE00, 0xFE0F,
        0xFFA0, 0xFFA0, 0xFFF0, 0xFFF8, 0xE0000, 0xE0FFF
    };

    /** Whether {@code codePoint} is one of them; a tab counts only when {@code tabAllowed} is false. */
    public static boolean is(int codePoint, boolean tabAllowed) {
        if (codePoint == '\t') {
            return !tabAllowed;
        }
        int type = Character.getType(codePoint);
        if (Character.isISOControl(codePoint)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return true;
        }
        for (int i = 0; i < IGNORABLE.length; i += 2) {
            if (codePoint >= IGNORABLE[i] && codePoint <= IGNORABLE[i + 1]) {
                return true;
            }
        }
        return false;
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
