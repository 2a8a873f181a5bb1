package io.tokengate.server.admin;

import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenService;
import io.tokengate.server.users.Principal;
import java.util.Optional;

/**
 * The token a request names, if its caller may see it: admins every token, a user only tokens
 * bound to them. Another user's or an unbound token answers 404 exactly like a token that does not
 * exist, so ids are never confirmed. What each resource that acts on one token asks first.
 */
final class VisibleTokens {
    private final TokenService tokens;

    VisibleTokens(TokenService tokens) {
        this.tokens = tokens;
    }

    /** The token in the path ({@code {id}}), if the caller may see it. */
    Token visible(ApiExchange ex) {
        return visible(ex, ex.pathParam("id"));
    }

    /** The token {@code idText}, if the caller may see it; 404 alike for unknown and not theirs. */
    Token visible(ApiExchange ex, String idText) {
        if (!TokenId.isWellFormed(idText)) {
            throw noSuchToken(idText);
        }
        TokenId id = new TokenId(idText);
        // A refused attempt is audited with the id tried, for admins and the token's owner to
        // see; the caller's own view of it names nothing the caller did not send.
        ex.action().ifPresent(action -> action.tokenId(id));
        Optional<Token> token = tokens.show(id);
        Principal me = ex.principal();
        if (token.isEmpty()
                || (!me.admin() && !token.get().boundUser().map(me::is).orElse(false))) {
            throw noSuchToken(idText);
        }
        return token.get();
    }

    /** The 404 of a token that does not exist, or that the caller may not see. */
    static ApiError noSuchToken(String id) {
        return ApiError.notFound("No token " + (id == null ? "" : TokenId.quote(id)) + ".");
    }
}
