package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.RevokedToken;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenPage;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.server.gateway.UpstreamIdentity;
import io.tokengate.server.users.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/tokens}: the token lifecycle over HTTP. Admins see and manage every token; a
 * user sees only tokens bound to them, and another user's or an unbound token answers 404 exactly
 * like a token that does not exist, so ids are never confirmed. Every action is audited, refused
 * attempts included.
 */
final class TokenResource {
    /** The fields of a token, in the order of the forms that edit them. */
    private static final List<String> FIELD_ORDER =
            List.of("name", "user", "expiresAt", "daysUntilExpiry", "allowedIps", "rateLimit", "limits");

    private static final Set<String> CREATE_FIELDS = Set.copyOf(FIELD_ORDER);
    private static final Set<String> EDIT_FIELDS =
            Set.of("name", "expiresAt", "daysUntilExpiry", "limits", "allowedIps", "rateLimit");

    private final TokenService tokens;
    private final VisibleTokens visible;
    private final UpstreamIdentity identity;
    private final JiraBinding binding;
    private final AdminAudit audit;
    private final Clock clock;

    /**
     * @param identity how the gateway names a token's user to Jira, which some names cannot pass
     * @param binding whether Jira knows a user a token is bound to
     */
    TokenResource(
            TokenService tokens,
            VisibleTokens visible,
            UpstreamIdentity identity,
            JiraBinding binding,
            AdminAudit audit,
            Clock clock) {
        this.tokens = tokens;
        this.visible = visible;
        this.identity = identity;
        this.binding = binding;
        this.audit = audit;
        this.clock = clock;
    }

    void routes(Router router) {
        router.add("POST", "/api/v1/tokens", this::create)
                .add("GET", "/api/v1/tokens", this::list)
                .add("GET", "/api/v1/tokens/{id}", this::show)
                .add("PATCH", "/api/v1/tokens/{id}", this::edit)
                .add("DELETE", "/api/v1/tokens/{id}", this::delete)
                .add("POST", "/api/v1/tokens/{id}/revoke", this::revoke)
                .add("POST", "/api/v1/tokens/{id}/rotate", this::rotate)
                .add("GET", "/api/v1/tokens/{id}/secret", this::secret);
    }

    private void create(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_CREATE);
        BodyFields body = ex.body(CREATE_FIELDS);
        Principal me = ex.principal();
        Optional<String> given = body.text("user").map(String::strip);
        // A blank user is a script's empty variable, not a wish for a token that runs as anybody:
        // that takes leaving the field out (the command line's --unbound), on purpose.
        boolean blankUser = given.filter(String::isEmpty).isPresent();
        Optional<String> user = given.filter(u -> !u.isEmpty());
        action.subject(user.orElse(null));
        if (user.isEmpty() && !blankUser && !me.admin()) {
            throw ApiError.forbidden(
                    "user", "user: only admins create unbound tokens; give \"user\": \"" + me.name() + "\"");
        }
        if (user.isPresent() && !me.admin() && !me.is(user.get())) {
            throw ApiError.forbidden("user", "user: only admins create tokens for other users");
        }
        // Every field at fault is reported at once: each is read on its own, with a stand-in that
        // passes when it cannot be, and the token's own checks run on the rest.
        FieldErrors errors = new FieldErrors(FIELD_ORDER);
        String name = errors.read(() -> body.requiredText("name"), "");
        if (blankUser) {
            errors.check(() -> {
                throw ApiError.badRequest(
                        "user",
                        "is blank: name the user the token is for, or leave \"user\" out for an unbound token"
                                + " (admins only)");
            });
        }
        if (user.isPresent()) {
            // Refused now rather than at every call the token makes.
            Optional<String> unnameable = identity.cannotName(user.get());
            if (unnameable.isPresent()) {
                errors.check(() -> {
                    throw ApiError.badRequest(
                            "user",
                            unnameable.get() + ", which upstream.identity = " + identity
                                    + " cannot pass to Jira unambiguously: every call of the token would be refused");
                });
            }
            binding.requireKnown(user.get());
        }
        TokenSpec spec = new TokenSpec(
                name,
                user,
                me.name(),
                errors.read(() -> expiry(body).orElse(Expiry.never()), Expiry.inDays(1)),
                errors.read(() -> body.text("limits").orElse(""), ""),
                errors.read(() -> body.list("allowedIps").orElse(""), ""),
                errors.read(() -> body.text("rateLimit").orElse(""), ""));
        if (!errors.isEmpty()) {
            errors.check(() -> tokens.check(spec));
            errors.throwIfAny();
        }
        CreatedToken created = tokens.create(spec);
        action.token(created.token())
                .allow(
                        201,
                        "created " + TokenAuditText.describe(created.token()) + "; "
                                + TokenAuditText.terms(created.token()));
        ex.response
                .getHeaders()
                .put("Location", "/api/v1/tokens/" + created.token().id());
        ex.send(201, TokenJson.withSecret(created, clock));
    }

    private void list(ApiExchange ex) {
        TokenPage page = tokens.list(TokenListQuery.parse(ex));
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("tokens");
        page.tokens().forEach(t -> items.add(TokenJson.of(t, clock, binding)));
        json.put("total", page.total());
        json.put("offset", page.offset());
        json.put("limit", page.limit());
        json.put("nextCursor", page.next().map(TokenListQuery::encodeCursor).orElse(null));
        ex.send(200, json);
    }

    private void show(ApiExchange ex) {
        ex.send(200, TokenJson.of(visible.visible(ex), clock, binding));
    }

    private void edit(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_EDIT);
        Token token = visible.visible(ex);
        action.token(token);
        BodyFields body = ex.body(EDIT_FIELDS);
        FieldErrors errors = new FieldErrors(FIELD_ORDER); // as at creation: every field at fault at once
        TokenEdit edit = new TokenEdit(
                errors.read(() -> body.text("name"), Optional.empty()),
                errors.read(
                        () -> body.has("limits")
                                ? Optional.of(body.text("limits").orElse(""))
                                : Optional.empty(),
                        Optional.empty()),
                errors.read(
                        () -> body.has("expiresAt") || body.has("daysUntilExpiry")
                                ? Optional.of(expiry(body).orElse(Expiry.never()))
                                : Optional.empty(),
                        Optional.empty()),
                errors.read(
                        () -> body.has("allowedIps")
                                ? Optional.of(body.list("allowedIps").orElse(""))
                                : Optional.empty(),
                        Optional.empty()),
                errors.read(
                        () -> body.has("rateLimit")
                                ? Optional.of(body.text("rateLimit").orElse(""))
                                : Optional.empty(),
                        Optional.empty()));
        if (!errors.isEmpty()) {
            errors.check(() -> tokens.check(edit));
            errors.throwIfAny();
        }
        Token changed = tokens.edit(token.id(), edit)
                .orElseThrow(() -> VisibleTokens.noSuchToken(token.id().value()));
        action.token(changed)
                .allow(200, "edited " + TokenAuditText.changedFields(edit) + "; now " + TokenAuditText.terms(changed));
        ex.send(200, TokenJson.of(changed, clock));
    }

    private void delete(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_DELETE);
        Token token = visible.visible(ex);
        action.token(token);
        if (!tokens.delete(token.id())) {
            throw VisibleTokens.noSuchToken(token.id().value());
        }
        action.allow(204, "deleted " + TokenAuditText.describe(token) + "; " + TokenAuditText.terms(token));
        ex.noContent();
    }

    private void revoke(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_REVOKE);
        Token token = visible.visible(ex);
        action.token(token);
        RevokedToken revoked = tokens.revoke(token.id())
                .orElseThrow(() -> VisibleTokens.noSuchToken(token.id().value()));
        // Revoking again changes nothing; the answer says so, as the audit does, so that the command
        // line and the web UI do not tell the user they revoked a token someone revoked before.
        action.allow(200, revoked.already() ? "already revoked" : "revoked");
        ObjectNode json = TokenJson.of(revoked.token(), clock);
        json.put("alreadyRevoked", revoked.already());
        ex.send(200, json);
    }

    private void rotate(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_ROTATE);
        Token token = visible.visible(ex);
        action.token(token);
        CreatedToken rotated = tokens.rotate(token.id())
                .orElseThrow(() -> VisibleTokens.noSuchToken(token.id().value()));
        action.allow(200, "rotated: new secret " + rotated.token().hint() + ", old secret " + token.hint() + " dead");
        ex.send(200, TokenJson.withSecret(rotated, clock));
    }

    private void secret(ApiExchange ex) {
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_REVEAL);
        Token token = visible.visible(ex);
        action.token(token);
        TokenSecret secret = tokens.reveal(token.id())
                .orElseThrow(() -> VisibleTokens.noSuchToken(token.id().value()));
        action.allow(200, "secret shown");
        ObjectNode json = Json.object();
        json.put("id", token.id().value());
        json.put("token", secret.reveal());
        ex.send(200, json);
    }

    /** expiresAt (ISO-8601, or null for never) or daysUntilExpiry; empty when neither is given. */
    private static Optional<Expiry> expiry(BodyFields body) {
        if (body.has("expiresAt") && body.has("daysUntilExpiry")) {
            throw ApiError.badRequest("expiresAt", "give expiresAt or daysUntilExpiry, not both");
        }
        if (body.has("daysUntilExpiry")) {
            Optional<Integer> days = body.integer("daysUntilExpiry");
            if (days.isEmpty()) {
                return Optional.of(Expiry.never());
            }
            if (days.get() < 1 || days.get() > Expiry.MAX_DAYS) {
                throw ApiError.badRequest(
                        "daysUntilExpiry", "must be from 1 to " + Expiry.MAX_DAYS + ", got " + days.get());
            }
            return Optional.of(Expiry.inDays(days.get()));
        }
        if (body.has("expiresAt")) {
            Optional<String> text = body.text("expiresAt");
            if (text.isEmpty()) {
                return Optional.of(Expiry.never());
            }
            return Optional.of(Expiry.at(ApiTime.instant("expiresAt", text.get())));
        }
        return Optional.empty();
    }
}
