package io.tokengate.server.snippets;

/** Which characters the escapers write as escapes even where the language could hold them raw. */
final class Chars {
    private Chars() {}

    /**
     * Whether {@code codePoint} is invisible or misleading on screen: controls, format characters
     * (bidirectional overrides, zero-width joiners), line and paragraph separators, spaces other
     * than U+0020, private-use, unassigned and surrogate code points. Such characters can make a
     * snippet read differently from what it does, so they are written as escapes.
     */
    static boolean isHidden(int codePoint) {
        if (codePoint == ' ') {
            return false;
        }
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    static boolean isAscii(String value) {
        return value.chars().allMatch(c -> c < 0x80);
    }

    static String hex(int value, int digits) {
        String hex = Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(Math.max(0, digits - hex.length())) + hex;
    }
}
