package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.RevokedToken;
import io.tokengate.core.token.SecretScanner;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenPage;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.TokenStatus;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The active tokens bound to one user, taken together: counted when the user is removed, and
 * revoked at once by {@code POST /api/v1/users/{name}/tokens/revoke} or {@code DELETE
 * /api/v1/users/{name}?revokeTokens=true}. A token bound to the user's e-mail address is theirs
 * too (the gateway accepts either as its Basic user). The name need not be a local user's: a Jira
 * user's, or one already removed. Each token revoked is audited as {@code TOKEN_REVOKE}, as if
 * revoked alone.
 */
final class UserTokens {
    private final TokenService tokens;
    private final JdbcUserStore users;
    private final AdminAudit audit;
    private final Clock clock;

    UserTokens(TokenService tokens, JdbcUserStore users, AdminAudit audit, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    void routes(Router router) {
        router.add("POST", "/api/v1/users/{name}/tokens/revoke", this::revokeAll);
    }

    /** Admins revoke anyone's tokens; a user their own. */
    private void revokeAll(ApiExchange ex) {
        String name = ex.pathParam("name").strip();
        if (SecretScanner.containsSecret(name)) {
            // No user is named so (nor is any token bound to such a name): a secret pasted into the
            // path is refused, whose error hides it, rather than answered whole in "user".
            throw ApiError.badRequest("name", SecretScanner.REFUSED);
        }
        if (!ex.principal().is(name)) {
            ex.requireAdmin("Revoking another user's tokens");
        }
        ex.allowQuery();
        Optional<User> user = users.findNamed(name);
        List<Token> revoked = revoke(
                ex,
                active(name, user.map(User::email)),
                "with every active token bound to " + name + " (by "
                        + ex.principal().name() + ")");
        ObjectNode json = Json.object();
        json.put("user", name);
        json.put("revoked", revoked.size());
        ArrayNode items = json.putArray("tokens");
        revoked.forEach(t -> items.add(TokenJson.of(t, clock)));
        ex.send(200, json);
    }

    /** "1 active token", "2 active tokens". */
    static String count(int tokens) {
        return tokens + " active " + (tokens == 1 ? "token" : "tokens");
    }

    /** The path that revokes the active tokens bound to {@code user}. */
    static String revokePath(String user) {
        return "/api/v1/users/"
                + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20") + "/tokens/revoke";
    }

    /** The active tokens bound to {@code name}, or to {@code email}, oldest last. */
    List<Token> active(String name, Optional<String> email) {
        Map<TokenId, Token> found = new LinkedHashMap<>();
        List<String> boundTo = new ArrayList<>(List.of(name));
        email.ifPresent(boundTo::add);
        for (String user : boundTo) {
            TokenQuery query = TokenQuery.all().withBoundUser(user).withStatus(TokenStatus.ACTIVE);
            TokenPage page = tokens.list(query.page(0, TokenQuery.MAX_LIMIT));
            page.tokens().forEach(t -> found.put(t.id(), t));
            while (page.next().isPresent()) {
                page = tokens.list(query.pageAfter(page.next().get(), TokenQuery.MAX_LIMIT));
                page.tokens().forEach(t -> found.put(t.id(), t));
            }
        }
        return List.copyOf(found.values());
    }

    /**
     * Revokes {@code active}, each audited as its own {@code TOKEN_REVOKE} with {@code why}.
     *
     * @return the tokens revoked, as they are now (one deleted meanwhile is left out)
     */
    List<Token> revoke(ApiExchange ex, List<Token> active, String why) {
        List<Token> revoked = new ArrayList<>();
        for (Token token : active) {
            AdminAudit.Action action =
                    audit.beginAnother(ex, AuditKind.TOKEN_REVOKE).token(token);
            try {
                Optional<RevokedToken> now = tokens.revoke(token.id());
                if (now.isEmpty()) {
                    action.deny(404, "not revoked " + why + ": deleted meanwhile");
                    continue;
                }
                revoked.add(now.get().token());
                action.allow(200, (now.get().already() ? "already revoked " : "revoked ") + why);
            } catch (RuntimeException e) {
                action.deny(503, "not revoked " + why + ": " + e.getMessage());
                throw e;
            }
        }
        return revoked;
    }
}
