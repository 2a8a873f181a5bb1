package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Token;
import java.time.Clock;
import java.util.Locale;

/** A token as the admin API shows it; the secret only where {@link #withSecret} adds it. */
final class TokenJson {
    private TokenJson() {}

    static ObjectNode of(Token token, Clock clock) {
        ObjectNode json = Json.object();
        json.put("id", token.id().value());
        json.put("name", token.name());
        json.put("user", token.boundUser().orElse(null));
        json.put("unbound", !token.isBound());
        json.put("createdBy", token.createdBy());
        json.set("createdAt", Json.instant(token.createdAt()));
        json.set("expiresAt", Json.instant(token.expiresAt()));
        json.put("status", token.status(clock).name().toLowerCase(Locale.ROOT));
        json.set("revokedAt", Json.instant(token.revokedAt()));
        json.put("limits", token.limits());
        ArrayNode ips = json.putArray("allowedIps");
        token.allowedIps().entries().forEach(ips::add);
        json.put("rateLimit", token.rateLimit().map(Object::toString).orElse(null));
        json.set("lastUsedAt", Json.instant(token.lastUsedAt()));
        json.put("lastUsedIp", token.lastUsedIp());
        json.put("useCount", token.useCount());
        json.put("hint", token.hint());
        return json;
    }

    /** The token and, this once, its secret as {@code token}. */
    static ObjectNode withSecret(CreatedToken created, Clock clock) {
        ObjectNode json = of(created.token(), clock);
        json.put("token", created.secret().reveal());
        return json;
    }
}
