package io.tokengate.server.request;

/**
 * A dry run's request whose request line is longer than the request head the gateway reads
 * ({@code GatewayConfig.MAX_REQUEST_HEAD}): the gateway answers 414 before it looks at anything.
 */
public final class TargetTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetTooLongException(String message) {
        super(message, null, false, false);
    }
}
