package io.tokengate.core.token;

import java.util.Objects;

/**
 * A token together with its secret: the result of creating or rotating a token, the only moment a
 * secure-mode secret is ever visible. Hand the secret to the user and drop this value.
 */
public record CreatedToken(Token token, TokenSecret secret) {
    public CreatedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "CreatedToken[token=" + token + ", secret=" + token.hint() + "]";
    }
}
