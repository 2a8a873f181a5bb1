package io.tokengate.server.admin;

import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.Principal;
import io.tokengate.store.User;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Local users' passwords: {@code PUT /api/v1/me/password} changes the caller's own, given the
 * current one; {@code PUT /api/v1/users/{name}/password} lets an admin set anyone's (a forgotten
 * password, root's after staff leave). Both take {@code user add}'s password rules, end the
 * user's other sessions, make Basic sign-ins remembered with the old password fail on every node
 * (they are stamped with the password hash), and are audited as {@code USER_PASSWORD}, without
 * the password. With {@code identity.source = jira} passwords are Jira's: 409.
 */
final class PasswordResource {
    private static final Set<String> OWN_FIELDS = Set.of("currentPassword", "password");
    private static final Set<String> FIELDS = Set.of("password");

    private final LocalUsers users;
    private final boolean local;
    private final Authenticator authenticator;
    private final Sessions sessions;
    private final AdminAudit audit;
    private final Runnable usersChanged;

    /**
     * @param local whether local users sign in ({@code identity.source = local})
     * @param usersChanged drops what this node caches about users
     */
    PasswordResource(
            LocalUsers users,
            boolean local,
            Authenticator authenticator,
            Sessions sessions,
            AdminAudit audit,
            Runnable usersChanged) {
        this.users = users;
        this.local = local;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.audit = audit;
        this.usersChanged = usersChanged;
    }

    void routes(Router router) {
        router.add("PUT", "/api/v1/me/password", this::changeOwn)
                .add("PUT", "/api/v1/users/{name}/password", this::set);
    }

    private void changeOwn(ApiExchange ex) {
        Principal me = ex.principal();
        AdminAudit.Action action = audit.begin(ex, AuditKind.USER_PASSWORD).subject(me.name());
        refuseUnlessLocal();
        if (!me.source().equals(LocalUsers.SOURCE)) {
            throw ApiError.conflict(me.name() + " signed in with " + me.source()
                    + " credentials, which have no password here; only local users change theirs.");
        }
        BodyFields body = ex.body(OWN_FIELDS);
        char[] current = body.requiredText("currentPassword").toCharArray();
        char[] password = body.requiredText("password").toCharArray();
        try {
            if (!authenticator.confirm(ex, me.name(), current)) {
                throw ApiError.forbidden("currentPassword", "currentPassword: is not your current password");
            }
            if (!users.setPassword(me.name(), password)) {
                throw ApiError.notFound("No local user " + me.name() + ".");
            }
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(password, '\0');
        }
        int ended = sessions.endAllBut(me.name(), ex.sessionCookie());
        usersChanged.run();
        action.allow(204, "changed their own password; " + sessionsEnded(ended));
        ex.noContent();
    }

    private void set(ApiExchange ex) {
        String name = ex.pathParam("name");
        AdminAudit.Action action = audit.begin(ex, AuditKind.USER_PASSWORD).subject(name);
        refuseUnlessLocal(); // first: in Jira mode nobody sets a password here, admin or not
        ex.requireAdmin("Setting a user's password");
        char[] password = ex.body(FIELDS).requiredText("password").toCharArray();
        User user;
        try {
            user = users.find(name).orElseThrow(() -> ApiError.notFound("No local user " + name + "."));
            action.subject(user.name());
            if (!users.setPassword(user.name(), password)) {
                throw ApiError.notFound("No local user " + name + ".");
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        // An admin who sets their own password this way keeps the session they did it in.
        Optional<String> keep = ex.principal().is(user.name()) ? ex.sessionCookie() : Optional.empty();
        int ended = sessions.endAllBut(user.name(), keep);
        usersChanged.run();
        action.allow(204, "set the password of " + user.name() + "; " + sessionsEnded(ended));
        ex.noContent();
    }

    private void refuseUnlessLocal() {
        if (!local) {
            throw ApiError.conflict("Users come from Jira (identity.source = jira): passwords are Jira's;"
                    + " change them in Jira, not here.");
        }
    }

    private static String sessionsEnded(int ended) {
        return ended == 1 ? "ended 1 other session" : "ended " + ended + " other sessions";
    }
}
