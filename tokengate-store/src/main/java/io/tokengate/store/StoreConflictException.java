package io.tokengate.store;

/** A change refused by a uniqueness rule, such as adding a user whose name is taken. Maps to 409. */
public final class StoreConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
