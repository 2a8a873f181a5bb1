package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Audit records into PostgreSQL by {@code COPY ... FROM STDIN} in CSV form, the way the writer
 * inserts them there: one copy per batch, in the writer's transaction.
 *
 * <p>A multi-row {@code INSERT} makes the server bind and convert 23 parameters a row and plan the
 * statement; {@code COPY} parses plain rows straight into the table. On the gateway's two shared
 * cores the server's CPU per record is CPU the gateway does not have (see {@code bench/README.md},
 * "Session 17").
 *
 * <p>Every text field is quoted, its quotes doubled, so commas, quotes, line breaks, backslashes
 * and a {@code \.} line in a client's path or query are data, never CSV syntax; an absent field is
 * left unquoted and empty, which CSV {@code COPY} reads as NULL, while an empty text stays {@code
 * ""}. A NUL character fails the copy, as PostgreSQL text cannot hold one and a bound parameter
 * fails the same way.
 */
final class AuditCopy {
    static final String SQL = "COPY audit_events (id, event_time, request_id, node, kind, token_id, token_name,"
            + " basic_user, basic_user_key, effective_user, effective_user_key, actor, client_ip, method, path,"
            + " query, decision, reason, matched_rule, status, upstream_millis, bytes_in, bytes_out)"
            + " FROM STDIN WITH (FORMAT csv)";

    private AuditCopy() {}

    /** Copies {@code events}, in order, as the records of {@code batch}. */
    static void copy(Connection c, long batch, List<AuditEvent> events) throws SQLException {
        byte[] rows = rows(batch, events).getBytes(StandardCharsets.UTF_8);
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(SQL, new ByteArrayInputStream(rows));
        } catch (IOException e) {
            throw new SQLException("could not send the audit records to PostgreSQL", e);
        }
    }

    /** The CSV rows, one line per record, in the column order of {@link #SQL}. */
    static String rows(long batch, List<AuditEvent> events) {
        StringBuilder out = new StringBuilder(events.size() * 320);
        int index = 0;
        for (AuditEvent e : events) {
            out.append(AuditSpan.id(batch, index++)).append(',');
            // Truncated to the microsecond by AuditEvent; ISO 8601 in UTC, which timestamptz reads.
            out.append(e.time()).append(',');
            text(out, e.requestId());
            text(out, e.node());
            text(out, e.kind().name());
            text(out, e.tokenId() == null ? null : e.tokenId().value());
            text(out, e.tokenName());
            text(out, e.basicUser());
            text(out, Jdbc.userKey(e.basicUser()));
            text(out, e.effectiveUser());
            text(out, Jdbc.userKey(e.effectiveUser()));
            text(out, e.actor());
            text(out, e.clientIp());
            text(out, e.method());
            text(out, e.path());
            text(out, e.query());
            text(out, e.decision() == null ? null : e.decision().name());
            text(out, e.reason());
            text(out, e.matchedRule());
            number(out, e.status());
            number(out, e.upstreamMillis());
            out.append(e.bytesIn()).append(',').append(e.bytesOut()).append('\n');
        }
        return out.toString();
    }

    private static void text(StringBuilder out, String value) {
        if (value != null) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '"') {
                    out.append('"');
                }
                out.append(ch);
            }
            out.append('"');
        }
        out.append(',');
    }

    private static void number(StringBuilder out, Number value) {
        if (value != null) {
            out.append(value);
        }
        out.append(',');
    }
}
