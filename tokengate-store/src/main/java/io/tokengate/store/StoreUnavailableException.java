package io.tokengate.store;

import io.tokengate.core.TokengateException;

/**
 * The database cannot be reached right now (connection refused or lost, pool timeout, database
 * shutting down), or the audit queue has no room. Transient: the store recovers by itself when the
 * database returns. The gateway answers 503 and forwards nothing (fail closed). {@link
 * DatabaseHeldException} names the one case that lasts until an operator acts.
 */
public class StoreUnavailableException extends TokengateException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
