package io.tokengate.core.token;

import java.util.List;
import java.util.Optional;

/**
 * One page of a token listing.
 *
 * @param offset how many tokens the query matches before this page
 * @param total every token the query matches
 * @param hasMore whether tokens follow this page
 */
public record TokenPage(List<Token> tokens, int offset, int limit, long total, boolean hasMore) {
    public TokenPage {
        tokens = List.copyOf(tokens);
    }

    /** Where the next page starts, if there is one. */
    public Optional<TokenCursor> next() {
        return hasMore && !tokens.isEmpty()
                ? Optional.of(TokenCursor.after(tokens.get(tokens.size() - 1)))
                : Optional.empty();
    }
}
