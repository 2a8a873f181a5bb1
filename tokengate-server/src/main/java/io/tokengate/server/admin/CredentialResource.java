package io.tokengate.server.admin;

import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.admin.AdminAudit.Action;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.NewUser;
import io.tokengate.store.UpstreamCredentials;
import io.tokengate.store.UserRole;
import java.util.Arrays;
import java.util.Set;

/**
 * A user's own upstream credential for {@code upstream.identity = user-credential}: {@code PUT
 * /api/v1/me/upstream-credential} stores the caller's (e.g. a Jira personal access token),
 * {@code DELETE} forgets it, and admins do the same for others under {@code
 * /api/v1/users/{name}/upstream-credential}. The credential is sealed under the key file, never
 * shown again, never audited; the change itself is audited as a setting change.
 */
final class CredentialResource {
    private static final Set<String> FIELDS = Set.of("credential");

    private final JdbcUserStore users;
    private final UpstreamCredentials credentials;
    private final AdminAudit audit;
    private final Runnable usersChanged;

    CredentialResource(JdbcUserStore users, UpstreamCredentials credentials, AdminAudit audit, Runnable usersChanged) {
        this.users = users;
        this.credentials = credentials;
        this.audit = audit;
        this.usersChanged = usersChanged;
    }

    void routes(Router router) {
        router.add(
                        "PUT",
                        "/api/v1/me/upstream-credential",
                        ex -> store(ex, ex.principal().name()))
                .add(
                        "DELETE",
                        "/api/v1/me/upstream-credential",
                        ex -> clear(ex, ex.principal().name()))
                .add("PUT", "/api/v1/users/{name}/upstream-credential", ex -> {
                    ex.requireAdmin("Storing another user's upstream credential");
                    store(ex, ex.pathParam("name"));
                })
                .add("DELETE", "/api/v1/users/{name}/upstream-credential", ex -> {
                    ex.requireAdmin("Forgetting another user's upstream credential");
                    clear(ex, ex.pathParam("name"));
                });
    }

    private void store(ApiExchange ex, String user) {
        Action action = audit.begin(ex, AuditKind.SETTING_CHANGE).subject(user);
        char[] credential = ex.body(FIELDS).requiredText("credential").toCharArray();
        try {
            if (users.find(user).isEmpty() && ex.principal().is(user)) {
                // A user known from Jira has no local row yet: make one that cannot sign in locally.
                users.add(new NewUser(user, null, null, UserRole.USER, null));
            }
            if (!credentials.set(user, credential)) {
                throw ApiError.notFound("No user " + user + ".");
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("credential", e.getMessage());
        } finally {
            Arrays.fill(credential, '\0');
        }
        usersChanged.run();
        action.allow(204, "upstream credential stored for " + user);
        ex.noContent();
    }

    private void clear(ApiExchange ex, String user) {
        Action action = audit.begin(ex, AuditKind.SETTING_CHANGE).subject(user);
        ex.allowQuery();
        if (!credentials.clear(user)) {
            throw ApiError.notFound("No user " + user + ".");
        }
        usersChanged.run();
        action.allow(204, "upstream credential forgotten for " + user);
        ex.noContent();
    }
}
