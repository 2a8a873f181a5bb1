package io.tokengate.core.token;

import io.tokengate.core.limits.Limits;
import java.util.Objects;

/**
 * An active token found by its secret, with its limits already parsed: what the request path
 * needs to authorize a request without parsing anything. Cached; the token's usage fields may lag.
 */
public record VerifiedToken(Token token, Limits limits) {
    public VerifiedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(limits, "limits");
    }

    public TokenId id() {
        return token.id();
    }
}
