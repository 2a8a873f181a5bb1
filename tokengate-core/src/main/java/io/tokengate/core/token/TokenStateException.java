package io.tokengate.core.token;

import io.tokengate.core.TokengateException;

/**
 * A token operation that the token's state or the server's mode does not permit, such as rotating
 * a revoked token. The admin plane answers 409 Conflict.
 */
public class TokenStateException extends TokengateException {
    private static final long serialVersionUID = 1L;

    public TokenStateException(String message) {
        super(message);
    }
}
