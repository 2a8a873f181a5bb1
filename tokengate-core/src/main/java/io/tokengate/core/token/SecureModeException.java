package io.tokengate.core.token;

/**
 * An operation refused because secure mode is on (a node's {@code token.secure.mode}, kept by the
 * database): revealing a
 * secret or editing a token. The admin plane answers 409 Conflict with this message, which always
 * names secure mode.
 */
public final class SecureModeException extends TokenStateException {
    private static final long serialVersionUID = 1L;

    SecureModeException(String refused) {
        super(refused + " is not possible in secure mode (token.secure.mode, on for this database): a token's"
                + " secret is shown only once, at creation or rotation, and its data cannot be changed afterwards."
                + " Rotate the token for a new secret, or revoke it and create a new one with other settings.");
    }
}
