package io.tokengate.server.admin;

import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenEdit;
import java.util.ArrayList;
import java.util.List;

/** What the audit records of the token lifecycle say about a token: whose it is, what it may do, what an edit changed. */
final class TokenAuditText {
    private TokenAuditText() {}

    static String describe(Token token) {
        return token.isBound() ? "token bound to " + token.boundUser().get() : "unbound token";
    }

    /**
     * What a token may do, for the audit records of its creation, its edits and its deletion, so
     * that the log keeps it once the token is gone: its limits last, since the reason has room
     * for about a thousand characters.
     */
    static String terms(Token token) {
        String limits = token.limits().strip();
        return "expires " + (token.expiresAt() == null ? "never" : token.expiresAt())
                + "; allowed IPs " + (token.allowedIps().isAny() ? "any" : token.allowedIps())
                + "; rate limit " + token.rateLimit().map(Object::toString).orElse("none")
                + "; limits " + (limits.isEmpty() ? "none (any request)" : limits.replaceAll("\\s*\\R\\s*", " | "));
    }

    static String changedFields(TokenEdit edit) {
        List<String> fields = new ArrayList<>();
        edit.name().ifPresent(n -> fields.add("name"));
        edit.limits().ifPresent(l -> fields.add("limits"));
        edit.expiry().ifPresent(e -> fields.add("expiry"));
        edit.allowedIps().ifPresent(a -> fields.add("allowedIps"));
        edit.rateLimit().ifPresent(r -> fields.add("rateLimit"));
        return fields.isEmpty() ? "nothing" : String.join(", ", fields);
    }
}
