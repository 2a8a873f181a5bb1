package io.tokengate.server.admin;

import io.tokengate.core.audit.AuditKind;
import io.tokengate.server.admin.AdminAudit.Action;
import io.tokengate.server.gateway.DirectoryUnavailableException;
import io.tokengate.server.users.IdentityUnavailableException;
import io.tokengate.server.users.JiraUserDirectory;
import io.tokengate.store.JdbcUserStore;
import io.tokengate.store.NewUser;
import io.tokengate.store.UpstreamCredentials;
import io.tokengate.store.UserRole;
import java.util.Arrays;
import java.util.Optional;
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
    private final JiraUserDirectory jira;

    /**
     * @param jira Jira's directory when {@code identity.source = jira}, else null: there, a
     *     credential is stored only once Jira says it is the user's own, and so for any Jira user,
     *     whether or not they ever signed in here
     */
    CredentialResource(
            JdbcUserStore users,
            UpstreamCredentials credentials,
            AdminAudit audit,
            Runnable usersChanged,
            JiraUserDirectory jira) {
        this.users = users;
        this.credentials = credentials;
        this.audit = audit;
        this.usersChanged = usersChanged;
        this.jira = jira;
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
            boolean jiraUser = jira != null && jira.usesStoredCredentials() && checkWithJira(user, credential);
            if (users.find(user).isEmpty() && (ex.principal().is(user) || jiraUser)) {
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

    /**
     * Refuses (400) a credential Jira does not take, or takes as another user's; 503 when Jira
     * cannot be asked.
     *
     * @return true: Jira knows {@code user}, by this very credential
     */
    private boolean checkWithJira(String user, char[] credential) {
        Optional<String> owner;
        try {
            owner = jira.ownerOf(user, new String(credential));
        } catch (DirectoryUnavailableException e) {
            throw new IdentityUnavailableException(e.getMessage(), e);
        }
        if (owner.isEmpty()) {
            throw ApiError.badRequest(
                    "credential",
                    "Jira does not accept this credential (/rest/api/2/myself refused it): store a current"
                            + " personal access token of " + user + "'s.");
        }
        if (!owner.get().equalsIgnoreCase(user)) {
            throw ApiError.badRequest(
                    "credential",
                    "This credential is " + owner.get() + "'s in Jira, not " + user + "'s: tokens bound to " + user
                            + " would act in Jira as " + owner.get() + ". Store " + user + "'s own.");
        }
        return true;
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
