package io.tokengate.core.token;

import java.util.Objects;

/**
 * A token as a revoke left it, and whether it was revoked before that revoke: by another call,
 * perhaps at the same moment on another node. Of revokes at once, exactly one is not {@code
 * already}: the audit and the answer say "revoked" once.
 */
public record RevokedToken(Token token, boolean already) {
    public RevokedToken {
        Objects.requireNonNull(token, "token");
    }
}
