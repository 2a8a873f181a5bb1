package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.users.Principal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Response;

/**
 * {@code POST /api/v1/session} signs in with a JSON user name and password and sets the session
 * cookie; {@code DELETE /api/v1/session} signs out. Both are audited (LOGIN, LOGIN_FAILED).
 */
final class SessionResource {
    private static final Set<String> FIELDS = Set.of("user", "password");

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final AdminAudit audit;

    SessionResource(Authenticator authenticator, Sessions sessions, AdminAudit audit) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.audit = audit;
    }

    void routes(Router router) {
        router.addPublic("POST", "/api/v1/session", this::signIn).add("DELETE", "/api/v1/session", this::signOut);
    }

    private void signIn(ApiExchange ex) {
        authenticator.checkOrigin(ex);
        BodyFields body = ex.body(FIELDS);
        String user = body.requiredText("user").strip();
        char[] password = body.requiredText("password").toCharArray();
        Principal principal;
        try {
            principal = authenticator.signIn(ex, user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        AdminAudit.Action action = audit.begin(ex, AuditKind.LOGIN)
                .actor(principal.name())
                .basicUser(user)
                .subject(principal.name());
        Authenticator.sessionCookie(ex.request).ifPresent(sessions::end);
        Sessions.Started started = sessions.start(principal);
        Response.addCookie(ex.response, sessions.cookie(started, ex.request.isSecure()));
        action.allow(200, "signed in (" + principal.source() + ", " + role(principal) + ")");
        ObjectNode json = Json.object();
        json.put("name", principal.name());
        json.put("role", role(principal));
        json.put("source", principal.source());
        json.put("csrfToken", started.csrfToken());
        json.put("expiresAt", started.expiresAt().toString());
        ex.send(200, json);
    }

    private void signOut(ApiExchange ex) {
        ex.sessionCookie().ifPresent(sessions::end);
        Response.addCookie(ex.response, sessions.clearingCookie(ex.request.isSecure()));
        ex.noContent();
    }

    private static String role(Principal principal) {
        return principal.role().name().toLowerCase(Locale.ROOT);
    }
}
