package io.tokengate.core.request;

/**
 * A request that cannot be read one way only: an ambiguous or invalid path or query. The gateway
 * answers it with 400 and never forwards it. The message explains the problem to the client and
 * quotes at most a short, escaped piece of the input.
 */
public final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedRequestException(String reason) {
        super(reason);
    }
}
