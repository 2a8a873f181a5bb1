package io.tokengate.core.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A place in the token listing's order, newest first: just after the token created at {@code
 * createdAt} with id {@code id}. A page that starts there neither repeats nor skips a token when
 * tokens are created or deleted between pages, as a page that skips a number of tokens would; the
 * token itself need not exist any more.
 */
public record TokenCursor(Instant createdAt, TokenId id) {
    public TokenCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** The place just after {@code token}. */
    public static TokenCursor after(Token token) {
        return new TokenCursor(token.createdAt(), token.id());
    }
}
