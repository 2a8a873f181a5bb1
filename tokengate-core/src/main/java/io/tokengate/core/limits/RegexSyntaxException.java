package io.tokengate.core.limits;

import com.google.re2j.PatternSyntaxException;

/** A regex that RE2 does not accept, with the offset of the offending construct in its source. */
public final class RegexSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    RegexSyntaxException(String reason, int offset) {
        super(reason);
        this.offset = offset;
    }

    /** Zero-based offset in the regex source where the problem starts. */
    public int offset() {
        return offset;
    }

    /**
     * RE2/J reports "error parsing regexp: DESCRIPTION: `FRAGMENT`"; the fragment locates the
     * problem and the description explains it.
     */
    static RegexSyntaxException fromRe2(String source, PatternSyntaxException e) {
        String description = e.getDescription();
        String fragment = fragmentOf(e.getMessage());
        int offset = fragment.isEmpty() ? -1 : source.indexOf(fragment);
        String reason = "invalid regex: " + description + (fragment.isEmpty() ? "" : " '" + fragment + "'");
        return new RegexSyntaxException(reason, Math.max(offset, 0));
    }

    private static String fragmentOf(String message) {
        if (message == null) {
            return "";
        }
        int end = message.lastIndexOf('`');
        int start = end > 0 ? message.lastIndexOf('`', end - 1) : -1;
        return start >= 0 ? message.substring(start + 1, end) : "";
    }
}
