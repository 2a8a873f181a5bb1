package io.tokengate.core.token;

/**
 * An operation refused because secure mode ({@code token.secure.mode = true}) is on: revealing a
 * secret or editing a token. The admin plane answers 409 Conflict with this message, which always
 * names secure mode.
 */
public final class SecureModeException extends TokenStateException {
    private static final long serialVersionUID = 1L;

    SecureModeException(String refused) {
        super(refused + " is not possible in secure mode (token.secure.mode = true): a token's secret is shown"
                + " only once, at creation, and its data cannot be changed afterwards. Revoke the token and create"
                + " a new one instead.");
    }
}
