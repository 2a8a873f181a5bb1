package io.tokengate.server.users;

import io.tokengate.core.TokengateException;

/** Credentials could not be checked, because the identity source (Jira) is unreachable or broken. */
public final class IdentityUnavailableException extends TokengateException {
    private static final long serialVersionUID = 1L;

    public IdentityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
