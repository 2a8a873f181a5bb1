package io.tokengate.core.token;

import java.util.List;

/** One page of a token listing; {@code total} counts every token the query matches. */
public record TokenPage(List<Token> tokens, int offset, int limit, long total) {
    public TokenPage {
        tokens = List.copyOf(tokens);
    }

    public boolean hasMore() {
        return offset + tokens.size() < total;
    }
}
