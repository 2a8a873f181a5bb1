package io.tokengate.core.token;

/**
 * An operation refused because secure mode is on (a node's {@code token.secure.mode}, kept by the
 * database): showing a secret again, making code snippets (they hold it), or editing a token. The
 * admin plane answers 409 Conflict with this message, which always names secure mode and what it
 * refused, in the words of what the user asked for, and says what they can do instead.
 */
public final class SecureModeException extends TokenStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param refused what was asked, as the user would say it ("Editing token tok_…")
     * @param instead why secure mode refuses it, and what the user can do instead
     */
    SecureModeException(String refused, String instead) {
        super(refused + " is not possible in secure mode (token.secure.mode, on for this database): " + instead);
    }
}
