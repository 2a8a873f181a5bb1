package io.tokengate.server.request;

/** A dry run's request whose method the gateway answers 405 to ({@link RefusedMethods}). */
public final class RefusedMethodException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedMethodException(String message) {
        super(message, null, false, false);
    }
}
