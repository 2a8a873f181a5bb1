package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.Token;
import io.tokengate.server.users.LocalUsers;
import io.tokengate.server.users.Principal;
import io.tokengate.store.User;
import io.tokengate.store.UserRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code /api/v1/users} (admins: local users) and {@code /api/v1/me} (anyone signed in: who am I,
 * what may I do, my CSRF token).
 */
final class UserResource {
    private static final Set<String> FIELDS = Set.of("name", "password", "role", "email", "displayName", "groups");
    private static final Set<String> EDIT_FIELDS = Set.of("role", "groups");

    private final LocalUsers users;
    private final boolean local;
    private final BooleanSupplier secureMode;
    private final String gatewayUrl;
    private final String upstreamIdentity;
    private final Sessions sessions;
    private final AdminAudit audit;
    private final Runnable usersChanged;
    private final UserTokens tokens;

    /**
     * @param local whether local users sign in ({@code identity.source = local})
     * @param upstreamIdentity {@code upstream.identity}'s mode, which says whether a user's own
     *     upstream credential is used at all
     * @param usersChanged drops what this node caches about users
     * @param tokens the tokens bound to a user, counted or revoked with them
     */
    UserResource(
            LocalUsers users,
            boolean local,
            BooleanSupplier secureMode,
            String gatewayUrl,
            String upstreamIdentity,
            Sessions sessions,
            AdminAudit audit,
            Runnable usersChanged,
            UserTokens tokens) {
        this.users = users;
        this.local = local;
        this.secureMode = secureMode;
        this.gatewayUrl = gatewayUrl;
        this.upstreamIdentity = upstreamIdentity;
        this.sessions = sessions;
        this.audit = audit;
        this.usersChanged = usersChanged;
        this.tokens = tokens;
    }

    void routes(Router router) {
        router.add("GET", "/api/v1/me", this::me)
                .add("GET", "/api/v1/users", this::list)
                .add("POST", "/api/v1/users", this::add)
                .add("PATCH", "/api/v1/users/{name}", this::edit)
                .add("DELETE", "/api/v1/users/{name}", this::remove);
    }

    private void me(ApiExchange ex) {
        ex.allowQuery();
        Principal me = ex.principal();
        ObjectNode json = Json.object();
        json.put("name", me.name());
        json.put("role", me.role().name().toLowerCase(Locale.ROOT));
        json.put("source", me.source());
        json.put("secureMode", secureMode.getAsBoolean());
        json.put("gatewayUrl", gatewayUrl);
        json.put("upstreamIdentity", upstreamIdentity);
        json.put("csrfToken", ex.sessionCookie().map(Sessions::csrfToken).orElse(null));
        ex.confinedBecause().ifPresent(why -> json.put("confinedBecause", why + "."));
        ex.send(200, json);
    }

    private void list(ApiExchange ex) {
        ex.requireAdmin("Listing users");
        ex.allowQuery();
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("users");
        users.list().forEach(u -> items.add(of(u)));
        ex.send(200, json);
    }

    private void add(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.USER_ADD);
        ex.requireAdmin("Adding users");
        BodyFields body = ex.body(FIELDS);
        String name = body.requiredText("name");
        action.subject(name);
        if (!local) {
            throw ApiError.conflict("Users come from Jira (identity.source = jira): add them in Jira, not here.");
        }
        UserRole role = role(body.text("role").orElse("user"));
        String password = body.requiredText("password");
        char[] chars = password.toCharArray();
        User user;
        try {
            user = users.add(
                    name,
                    body.text("email").orElse(null),
                    body.text("displayName").orElse(null),
                    role,
                    body.strings("groups").orElse(List.of()),
                    chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
        usersChanged.run();
        action.subject(user.name()).allow(201, "added " + role.name().toLowerCase(Locale.ROOT) + " " + user.name());
        ex.response.getHeaders().put("Location", "/api/v1/users/" + user.name());
        ex.send(201, of(user));
    }

    /** Changes a local user's role or groups; an admin cannot change their own role. */
    private void edit(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.USER_EDIT);
        ex.requireAdmin("Editing users");
        String name = ex.pathParam("name");
        action.subject(name);
        BodyFields body = ex.body(EDIT_FIELDS);
        if (!local) {
            throw ApiError.conflict("Users come from Jira (identity.source = jira): edit them in Jira, not here.");
        }
        User user = users.find(name).orElseThrow(() -> ApiError.notFound("No local user " + name + "."));
        Optional<UserRole> role = body.text("role").map(UserResource::role);
        Optional<List<String>> groups = body.strings("groups");
        if (body.isNull("groups")) {
            groups = Optional.of(List.of());
        }
        if (role.isPresent() && role.get() != user.role() && ex.principal().is(user.name())) {
            throw ApiError.conflict("You cannot change your own role (" + user.name() + "); ask another admin.");
        }
        if (!users.edit(user.name(), role, groups)) {
            throw ApiError.notFound("No local user " + name + ".");
        }
        List<String> changes = new ArrayList<>();
        groups.ifPresent(g -> changes.add("groups"));
        role.ifPresent(r -> changes.add("role " + r.name().toLowerCase(Locale.ROOT)));
        usersChanged.run();
        User edited = users.find(user.name()).orElseThrow(() -> ApiError.notFound("No local user " + name + "."));
        action.subject(edited.name())
                .allow(
                        200,
                        "changed " + (changes.isEmpty() ? "nothing" : String.join(", ", changes)) + " of "
                                + edited.name());
        ex.send(200, of(edited));
    }

    /**
     * Removes a local user and ends their sessions; with {@code revokeTokens=true} also revokes
     * every active token bound to them, else says how many stay active: a removed user's tokens
     * go on working until revoked or expired.
     */
    private void remove(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.USER_REMOVE);
        ex.requireAdmin("Removing users");
        String name = ex.pathParam("name");
        action.subject(name);
        ex.allowQuery("revokeTokens");
        boolean revokeTokens = ex.query("revokeTokens").map(UserResource::bool).orElse(false);
        if (ex.principal().is(name)) {
            throw ApiError.conflict("You cannot remove yourself (" + name + "); ask another admin.");
        }
        User user = users.findNamed(name).orElseThrow(() -> ApiError.notFound("No local user " + name + "."));
        if (!users.remove(user.name())) {
            throw ApiError.notFound("No local user " + name + ".");
        }
        sessions.endAll(user.name());
        usersChanged.run();
        List<Token> active = tokens.active(user.name(), Optional.ofNullable(user.email()));
        String removed = "removed " + user.name() + " and ended their sessions";
        if (!revokeTokens || active.isEmpty()) {
            // One name per user, whatever its case: one call revokes the tokens of every spelling.
            Map<String, String> byKey = new LinkedHashMap<>();
            active.forEach(t -> t.boundUser().ifPresent(u -> byKey.putIfAbsent(u.toLowerCase(Locale.ROOT), u)));
            Collection<String> boundTo = byKey.values();
            String left = active.isEmpty()
                    ? "no active token is bound to them"
                    : UserTokens.count(active.size()) + " bound to them " + (active.size() == 1 ? "stays" : "stay")
                            + " active";
            action.allow(200, removed + "; " + left);
            ObjectNode json = removal(user, 0, active.size(), removed + "; " + left + hint(boundTo));
            boundTo.forEach(json.putArray("activeTokensBoundTo")::add);
            ex.send(200, json);
            return;
        }
        // Recorded before the tokens are revoked: each has its own record, and should revoking
        // fail part way, the user is removed all the same.
        action.allow(200, removed + "; revoking the " + UserTokens.count(active.size()) + " bound to them");
        List<Token> revoked;
        try {
            revoked = tokens.revoke(ex, active, "with user " + user.name() + ", removed");
        } catch (RuntimeException e) {
            throw new ApiError(
                    503,
                    "Removed " + user.name() + ", but revoking the tokens bound to them failed part way ("
                            + e.getMessage() + "): revoke the rest with POST " + UserTokens.revokePath(user.name())
                            + ".",
                    null,
                    null);
        }
        ObjectNode json = removal(
                user,
                revoked.size(),
                0,
                removed + "; revoked the " + UserTokens.count(revoked.size()) + " bound to them");
        json.putArray("activeTokensBoundTo");
        ex.send(200, json);
    }

    /** How to revoke the active tokens bound to each of {@code boundTo}, which removing the user left. */
    private static String hint(Collection<String> boundTo) {
        if (boundTo.isEmpty()) {
            return ".";
        }
        List<String> calls = new ArrayList<>();
        boundTo.forEach(user -> calls.add("POST " + UserTokens.revokePath(user)));
        return ": revoke them with " + String.join(" and ", calls) + ", or remove users with revokeTokens=true.";
    }

    private static ObjectNode removal(User user, int revoked, int active, String message) {
        ObjectNode json = Json.object();
        json.put("name", user.name());
        json.put("revokedTokens", revoked);
        json.put("activeTokens", active);
        json.put("message", Character.toUpperCase(message.charAt(0)) + message.substring(1));
        return json;
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest("revokeTokens", "'" + text + "' is not true or false");
        };
    }

    private static UserRole role(String text) {
        try {
            return UserRole.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("role", "'" + text + "' is not a role (expected admin, user)");
        }
    }

    private static ObjectNode of(User user) {
        ObjectNode json = Json.object();
        json.put("name", user.name());
        json.put("email", user.email());
        json.put("displayName", user.displayName());
        json.put("role", user.role().name().toLowerCase(Locale.ROOT));
        ArrayNode groups = json.putArray("groups");
        user.groups().forEach(groups::add);
        json.set("createdAt", Json.instant(user.createdAt()));
        return json;
    }
}
