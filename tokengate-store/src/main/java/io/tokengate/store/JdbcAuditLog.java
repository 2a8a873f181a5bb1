package io.tokengate.store;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditExportFormat;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditLog;
import io.tokengate.core.audit.AuditPage;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenId;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code audit_events} table and its {@code audit_batches} spans (see {@link AuditSpan}), as
 * the {@link AuditLog} port: keyset-paged listings and exports, read here; the writer's batch
 * inserts are {@link JdbcAuditInserts}', deleting old records and adopting strays {@link
 * JdbcAuditRetention}'s.
 */
final class JdbcAuditLog implements AuditLog {
    private static final int EXPORT_PAGE = 1000;
    /** Spans read per statement by a listing. */
    static final int SPANS_PER_READ = 64;

    static final String COLUMNS = "id, event_time, request_id, node, kind, token_id, token_name, basic_user,"
            + " effective_user, actor, client_ip, method, path, query, decision, reason, matched_rule, status,"
            + " upstream_millis, bytes_in, bytes_out";
    static final String SPAN_COLUMNS = "subject, max_time, batch_id, min_time, first_id, last_id";
    private static final Comparator<Row> NEWEST_FIRST = Comparator.comparing(
                    (Row r) -> r.cursor().time())
            .thenComparingLong(r -> r.cursor().id())
            .reversed();

    private final Database db;
    private final JdbcAuditInserts inserts;
    private final JdbcAuditRetention retention;
    /** Id ranges read by listings so far: what a page costs, for tests. */
    private final AtomicLong rangesRead = new AtomicLong();

    JdbcAuditLog(Database db) {
        this.db = db;
        this.inserts = new JdbcAuditInserts(db);
        this.retention = new JdbcAuditRetention(db);
    }

    /** The write side, for the audit writer and the spill. */
    JdbcAuditInserts inserts() {
        return inserts;
    }

    /** See {@link JdbcAuditInserts#insert(List)}. */
    void insert(List<AuditEvent> events) {
        inserts.insert(events);
    }

    /** See {@link JdbcAuditRetention#deleteOlderThan(Instant)}. */
    @Override
    public long deleteOlderThan(Instant cutoff) {
        return retention.deleteOlderThan(cutoff);
    }

    /** See {@link JdbcAuditRetention#adoptStrays()}. */
    long adoptStrays() {
        return retention.adoptStrays();
    }

    @Override
    public AuditPage query(AuditQuery query) {
        Optional<AuditCursor> start = query.cursor().map(AuditCursor::decode);
        List<Row> rows =
                db.read("reading the audit log", c -> page(c, AuditListing.of(c, query, start), query.limit() + 1));
        boolean more = rows.size() > query.limit();
        List<Row> shown = more ? rows.subList(0, query.limit()) : rows;
        Optional<String> next =
                more ? Optional.of(shown.get(shown.size() - 1).cursor().encode()) : Optional.empty();
        return new AuditPage(shown.stream().map(Row::event).toList(), next);
    }

    @Override
    public void export(AuditQuery query, AuditExportFormat format, OutputStream out) throws IOException {
        Optional<AuditCursor> start = query.cursor().map(AuditCursor::decode);
        try (AuditExporter exporter =
                format == AuditExportFormat.CSV ? AuditExporter.csv(out) : AuditExporter.jsonLines(out)) {
            while (true) {
                Optional<AuditCursor> from = start;
                List<Row> rows =
                        db.read("exporting the audit log", c -> page(c, AuditListing.of(c, query, from), EXPORT_PAGE));
                for (Row row : rows) {
                    exporter.write(row.event());
                }
                if (rows.size() < EXPORT_PAGE) {
                    return;
                }
                start = Optional.of(rows.get(rows.size() - 1).cursor());
            }
        }
    }

    /**
     * The newest {@code limit} records of a listing: its spans newest first, merged. Spans of one
     * subject overlap in time (two nodes write at once; a record may arrive late), so reading
     * stops only at a span that ended before the oldest record kept, when {@code limit} are kept.
     */
    private List<Row> page(Connection c, AuditListing listing, int limit) throws SQLException {
        List<Row> newest = new ArrayList<>();
        Optional<AuditSpan> after = Optional.empty();
        while (true) {
            List<AuditSpan> spans = spans(c, listing.spans(after));
            for (AuditSpan span : spans) {
                if (newest.size() == limit
                        && span.maxTime()
                                .isBefore(newest.get(limit - 1).cursor().time())) {
                    return newest;
                }
                rangesRead.incrementAndGet();
                newest.addAll(records(c, listing.records(span, limit)));
                newest.sort(NEWEST_FIRST);
                // Spans of two subjects may cover one record (Alice's request with her token).
                removeRepeats(newest);
                if (newest.size() > limit) {
                    newest.subList(limit, newest.size()).clear();
                }
            }
            if (spans.size() < SPANS_PER_READ) {
                return newest;
            }
            after = Optional.of(spans.get(spans.size() - 1));
        }
    }

    /** Drops the second of two adjacent rows of one record from rows sorted {@link #NEWEST_FIRST}. */
    private static void removeRepeats(List<Row> sorted) {
        for (int i = sorted.size() - 1; i > 0; i--) {
            if (sorted.get(i).cursor().id() == sorted.get(i - 1).cursor().id()) {
                sorted.remove(i);
            }
        }
    }

    /** Id ranges read by listings since this log was opened. */
    long rangesRead() {
        return rangesRead.get();
    }

    /** SQL text and its parameters, in order: strings, instants and longs. */
    record PageSql(String sql, List<Object> args) {
        static final PageSql EMPTY = new PageSql("", List.of());

        /** These conditions and one more, appended as {@code " AND " + condition}. */
        PageSql and(String condition, Object... values) {
            return new PageSql(sql + " AND " + condition, Jdbc.concat(args, List.of(values)));
        }

        /** These conditions and {@code more}, which start with " AND " or are empty. */
        PageSql and(PageSql more) {
            return new PageSql(sql + more.sql(), Jdbc.concat(args, more.args()));
        }

        /** This text followed by {@code text}, with no more parameters. */
        PageSql then(String text) {
            return new PageSql(sql + text, args);
        }

        void bind(PreparedStatement ps) throws SQLException {
            Jdbc.bind(ps, args);
        }
    }

    /** The spans {@code sql} selects ({@link #SPAN_COLUMNS}). */
    static List<AuditSpan> spans(Connection c, PageSql sql) throws SQLException {
        return select(
                c,
                sql,
                rs -> new AuditSpan(
                        rs.getString("subject"),
                        Jdbc.instant(rs, "max_time"),
                        rs.getLong("batch_id"),
                        Jdbc.instant(rs, "min_time"),
                        rs.getLong("first_id"),
                        rs.getLong("last_id")));
    }

    private static List<Row> records(Connection c, PageSql sql) throws SQLException {
        return select(c, sql, JdbcAuditLog::row);
    }

    /** Reads one value from the current row of a result. */
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> List<T> select(Connection c, PageSql sql, RowReader<T> reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
            sql.bind(ps);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }
    }

    private record Row(AuditCursor cursor, AuditEvent event) {}

    private static Row row(ResultSet rs) throws SQLException {
        Instant time = Jdbc.instant(rs, "event_time");
        String tokenId = rs.getString("token_id");
        String decision = rs.getString("decision");
        AuditEvent event = AuditEvent.builder(AuditKind.valueOf(rs.getString("kind")), time)
                .requestId(rs.getString("request_id"))
                .node(rs.getString("node"))
                .token(tokenId == null ? null : new TokenId(tokenId), rs.getString("token_name"))
                .basicUser(rs.getString("basic_user"))
                .effectiveUser(rs.getString("effective_user"))
                .actor(rs.getString("actor"))
                .clientIp(rs.getString("client_ip"))
                .request(rs.getString("method"), rs.getString("path"), rs.getString("query"))
                .decision(decision == null ? null : AuditDecision.valueOf(decision), rs.getString("reason"))
                .matchedRule(rs.getString("matched_rule"))
                .status(Jdbc.nullableInt(rs, "status"))
                .upstreamMillis(Jdbc.nullableLong(rs, "upstream_millis"))
                .bytes(rs.getLong("bytes_in"), rs.getLong("bytes_out"))
                .build();
        return new Row(new AuditCursor(time, rs.getLong("id")), event);
    }
}
