package io.tokengate.core.token;

/**
 * Allowed-IP text that does not parse. The message reads like {@code entry 2 '10.0.0.300': 300 is
 * not an IPv4 octet (0-255)}; a token secret pasted into the field is quoted as its hint.
 */
public final class IpAllowListSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int entry;
    private final String reason;

    IpAllowListSyntaxException(int entry, String text, String reason) {
        super(SecretScanner.redact("entry " + entry + " '" + text + "': " + reason));
        this.entry = entry;
        this.reason = reason;
    }

    IpAllowListSyntaxException(String reason) {
        super(SecretScanner.redact(reason));
        this.entry = 0;
        this.reason = reason;
    }

    /** The 1-based position of the offending entry; 0 when the text as a whole is the problem. */
    public int entry() {
        return entry;
    }

    public String reason() {
        return reason;
    }
}
