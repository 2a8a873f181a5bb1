package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenStatus;
import io.tokengate.server.gateway.UserGone;
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

    /**
     * {@link #of}, and for an active token bound to a user Jira no longer lets act, as the gateway
     * learnt it from an answer it had anyway, {@code userGone}: {@code why}, {@code confirmed}
     * (Jira said so itself: deactivated, deleted) and {@code learntAt}, with the {@code remedy}.
     * Absent when nothing is known: nothing is guessed, and Jira is not asked per token.
     */
    static ObjectNode of(Token token, Clock clock, JiraBinding jira) {
        ObjectNode json = of(token, clock);
        if (token.status(clock) == TokenStatus.ACTIVE) {
            token.boundUser().flatMap(jira::lastGone).ifPresent(gone -> {
                ObjectNode flag = json.putObject("userGone");
                flag.put("why", gone.why());
                flag.put("confirmed", gone.confirmed());
                flag.set("learntAt", Json.instant(gone.learntAt()));
                flag.put("remedy", UserGone.remedy(token.boundUser().orElseThrow()));
            });
        }
        return json;
    }

    /** The token and, this once, its secret as {@code token}. */
    static ObjectNode withSecret(CreatedToken created, Clock clock) {
        ObjectNode json = of(created.token(), clock);
        json.put("token", created.secret().reveal());
        return json;
    }
}
