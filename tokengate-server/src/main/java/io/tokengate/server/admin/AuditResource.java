package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditExportFormat;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditLog;
import io.tokengate.core.audit.AuditPage;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenId;
import io.tokengate.server.users.Principal;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;

/**
 * {@code /api/v1/audit}: the audit log with filters and cursor paging, and its streaming export.
 * Admins see every record; a user sees only records that name them as Basic or effective user —
 * their own requests and the admin actions on their tokens — and every record of a token bound to
 * them ({@link AuditQuery#withUserOrTheirTokens}), such as a request that presented its secret under
 * another user's name.
 */
final class AuditResource {
    private static final String[] FILTERS = {"token", "user", "decision", "kind", "from", "to", "cursor"};

    private final AuditLog log;

    AuditResource(AuditLog log) {
        this.log = log;
    }

    void routes(Router router) {
        router.add("GET", "/api/v1/audit", this::list).add("GET", "/api/v1/audit/export", this::export);
    }

    private void list(ApiExchange ex) {
        ex.allowQuery(concat(FILTERS, "limit"));
        AuditQuery query = query(ex)
                .withLimit(ex.intQuery("limit", 1, AuditQuery.MAX_LIMIT).orElse(AuditQuery.DEFAULT_LIMIT));
        AuditPage page;
        try {
            page = log.query(query);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("cursor", "not a cursor from a previous page's nextCursor");
        }
        ObjectNode json = Json.object();
        ArrayNode events = json.putArray("events");
        page.events().forEach(e -> events.add(AuditJson.of(e)));
        json.put("nextCursor", page.nextCursor().orElse(null));
        ex.send(200, json);
    }

    private void export(ApiExchange ex) throws Exception {
        ex.allowQuery(concat(FILTERS, "format"));
        String format = ex.query("format").orElse("csv").toLowerCase(Locale.ROOT);
        AuditExportFormat exportFormat;
        String contentType;
        switch (format) {
            case "csv" -> {
                exportFormat = AuditExportFormat.CSV;
                contentType = "text/csv;charset=utf-8";
            }
            case "jsonl" -> {
                exportFormat = AuditExportFormat.JSON_LINES;
                contentType = "application/x-ndjson;charset=utf-8";
            }
            default -> throw ApiError.badRequest("format", "'" + format + "' is not a format (expected csv, jsonl)");
        }
        AuditQuery query = query(ex);
        Response response = ex.response;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put("Content-Disposition", "attachment; filename=\"tokengate-audit." + format + "\"");
        // Streams page by page: memory does not grow with the log. A failure after the first bytes
        // aborts the response (the client sees a truncated transfer, never a partial file as whole).
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            log.export(query, exportFormat, out);
        } catch (IllegalArgumentException e) {
            // The cursor is decoded before anything is written, so this is still an error answer.
            throw ApiError.badRequest("cursor", "not a cursor from a previous page's nextCursor");
        }
        // Only a complete export ends the response normally; a failure midway propagates, and
        // ApiHandler aborts the committed response so the client sees a broken transfer.
        out.close();
        ex.callback.succeeded();
    }

    private static AuditQuery query(ApiExchange ex) {
        Principal me = ex.principal();
        AuditQuery query = AuditQuery.all();
        Optional<String> user = ex.query("user");
        if (!me.admin()) {
            if (user.isPresent() && !me.is(user.get())) {
                throw ApiError.forbidden("user", "user: users see only their own audit records");
            }
            query = query.withUserOrTheirTokens(me.name());
        } else if (user.isPresent()) {
            query = query.withUser(user.get());
        }
        Optional<String> token = ex.query("token");
        if (token.isPresent()) {
            if (!TokenId.isWellFormed(token.get())) {
                throw ApiError.badRequest("token", "not a token id (tok_ and 16 letters or digits)");
            }
            query = query.withTokenId(new TokenId(token.get()));
        }
        Optional<String> decision = ex.query("decision");
        if (decision.isPresent()) {
            query = query.withDecision(parse(AuditDecision.class, "decision", decision.get()));
        }
        Optional<String> kind = ex.query("kind");
        if (kind.isPresent()) {
            query = query.withKind(parse(AuditKind.class, "kind", kind.get()));
        }
        Optional<String> fromText = ex.query("from");
        Optional<String> toText = ex.query("to");
        Instant from = fromText.map(t -> ApiTime.instant("from", t)).orElse(null);
        Instant to = toText.map(t -> ApiTime.instant("to", t)).orElse(null);
        if (from != null && to != null && !to.isAfter(from)) {
            // From is inclusive, to exclusive: such a period holds no record, and an empty page
            // would pass for a quiet time.
            throw ApiError.badRequest(
                    "to",
                    "'" + toText.get() + "' is not after from ('" + fromText.get()
                            + "'): records are listed from that time up to, not including, this one");
        }
        if (from != null || to != null) {
            query = query.between(from, to);
        }
        Optional<String> cursor = ex.query("cursor");
        if (cursor.isPresent()) {
            query = query.after(cursor.get());
        }
        return query;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(
                    field,
                    "'" + text + "' is not one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(Enum::name)
                                    .collect(Collectors.joining(", ")));
        }
    }

    private static String[] concat(String[] names, String more) {
        String[] all = Arrays.copyOf(names, names.length + 1);
        all[names.length] = more;
        return all;
    }
}
