package io.tokengate.server.gateway;

/**
 * The user directory could not answer (Jira unreachable, slow, or answering with an error): the
 * request that needed it is refused with 502 rather than decided without it.
 */
public final class DirectoryUnavailableException extends RuntimeException {
    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
