package io.tokengate.store;

import io.tokengate.core.TokengateException;

/**
 * The key file cannot be used: unreadable, readable by others, malformed, or not the key this
 * database was created with. The message explains what to do; the server refuses to start.
 */
public final class KeyFileException extends TokengateException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
