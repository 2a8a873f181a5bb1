package io.tokengate.server.cli;

import io.tokengate.core.TokengateException;

/**
 * What was asked is not done, for a reason the message gives, not for want of a server or a
 * database: exit 1 ({@link AdminCommand#REFUSED}), as when the API refuses.
 */
final class Refused extends TokengateException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
        super(message);
    }
}
