package io.tokengate.core;

/**
 * The one unchecked root of tokengate's exceptions: something broke (a store, a key file, the
 * configuration), as opposed to an expected outcome, which is a value. Messages never carry a
 * secret or an {@code Authorization} header.
 */
public class TokengateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokengateException(String message) {
        super(message);
    }

    public TokengateException(String message, Throwable cause) {
        super(message, cause);
    }
}
