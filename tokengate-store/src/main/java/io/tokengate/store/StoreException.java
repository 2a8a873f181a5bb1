package io.tokengate.store;

import io.tokengate.core.TokengateException;

/**
 * The database answered, but with an error that retrying will not fix (a bug, a schema that does
 * not match, an unexpected constraint violation). Transient failures are {@link
 * StoreUnavailableException} instead.
 */
public class StoreException extends TokengateException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
