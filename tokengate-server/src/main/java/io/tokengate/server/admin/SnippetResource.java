package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenService;
import io.tokengate.server.snippets.InvalidSnippetRequestException;
import io.tokengate.server.snippets.Language;
import io.tokengate.server.snippets.SnippetRequest;
import io.tokengate.server.snippets.SnippetSet;
import io.tokengate.server.snippets.Snippets;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/tokens/{id}/snippets}: ready-to-run code that calls the gateway with the
 * token, for a sample call given in the query ({@code method}, {@code path}, {@code body},
 * {@code contentType}; for an unbound token also {@code user}). It shows the secret, so it is
 * audited as a reveal and refused in secure mode, like the secret itself.
 */
final class SnippetResource {
    private static final String DEFAULT_PATH = "/rest/api/2/myself";

    private final VisibleTokens visible;
    private final TokenService tokens;
    private final AdminAudit audit;
    private final String publicUrl;

    SnippetResource(VisibleTokens visible, TokenService tokens, AdminAudit audit, String publicUrl) {
        this.visible = visible;
        this.tokens = tokens;
        this.audit = audit;
        this.publicUrl = publicUrl;
    }

    void routes(Router router) {
        router.add("GET", "/api/v1/tokens/{id}/snippets", this::snippets);
    }

    private void snippets(ApiExchange ex) {
        ex.allowQuery("method", "path", "body", "contentType", "user");
        AdminAudit.Action action = audit.begin(ex, AuditKind.TOKEN_REVEAL);
        Token token = visible.visible(ex);
        action.token(token);
        String user = token.boundUser()
                .orElseGet(() -> ex.query("user").orElse(ex.principal().name()));
        // Empty only for a token deleted since it was read (a secret not stored throws, named for snippets).
        TokenSecret secret = tokens.revealForSnippets(token.id())
                .orElseThrow(() -> VisibleTokens.noSuchToken(token.id().value()));
        SnippetRequest request;
        try {
            request = new SnippetRequest(
                    publicUrl,
                    user,
                    secret.reveal(),
                    ex.query("method").orElse("GET").toUpperCase(Locale.ROOT),
                    ex.query("path").orElse(DEFAULT_PATH),
                    ex.query("body").orElse(null),
                    ex.query("contentType").orElse(null));
        } catch (InvalidSnippetRequestException e) {
            // Named as the caller wrote it, once: the query parameter, not SnippetRequest's field.
            String field = e.field().equals("pathAndQuery") ? "path" : e.field();
            throw ApiError.badRequest(field, e.reason());
        }
        SnippetSet set = Snippets.generate(request);
        ObjectNode json = Json.object();
        json.put("id", token.id().value());
        json.putObject("request")
                .put("method", request.method())
                .put("url", request.url())
                .put("user", user);
        ObjectNode snippets = json.putObject("snippets");
        for (Map.Entry<Language, String> entry : set.snippets().entrySet()) {
            snippets.put(entry.getKey().id(), entry.getValue());
        }
        ObjectNode unavailable = json.putObject("unavailable");
        for (Map.Entry<Language, String> entry : set.unavailable().entrySet()) {
            unavailable.put(entry.getKey().id(), entry.getValue());
        }
        action.allow(200, "snippets shown (secret revealed)");
        ex.send(200, json);
    }
}
