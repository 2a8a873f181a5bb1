package io.tokengate.store;

/**
 * The embedded database's file is open in another process, most likely a tokengate server on the
 * same home: H2 lets one process at a time have it. Unavailable until that process lets go.
 */
public final class DatabaseHeldException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    DatabaseHeldException(String message, Throwable cause) {
        super(message, cause);
    }
}
