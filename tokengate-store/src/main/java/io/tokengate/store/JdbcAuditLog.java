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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code audit_events} table: batch inserts for the writer, keyset-paged queries, exports, retention. */
final class JdbcAuditLog implements AuditLog {
    private static final int EXPORT_PAGE = 1000;
    private static final int DELETE_BATCH = 10_000;
    private static final int ROWS_PER_STATEMENT = 50;
    private static final int INSERTED_COLUMNS = 22;
    private static final String INSERT_ONE = insertSql(1);
    private static final String INSERT_MANY = insertSql(ROWS_PER_STATEMENT);
    private static final String COLUMNS = "id, event_time, request_id, node, kind, token_id, token_name, basic_user,"
            + " effective_user, actor, client_ip, method, path, query, decision, reason, matched_rule, status,"
            + " upstream_millis, bytes_in, bytes_out";

    private final Database db;

    JdbcAuditLog(Database db) {
        this.db = db;
    }

    /**
     * Inserts the records in one transaction, {@value #ROWS_PER_STATEMENT} rows per {@code INSERT}
     * and the rest one per statement, sent as JDBC batches. H2 then runs one command per 50 rows
     * instead of one per row (measured about 20% more records per second); on PostgreSQL this is
     * what the driver's {@code reWriteBatchedInserts} made of single-row batches anyway.
     *
     * <p>On H2 the writer also yields its core after every {@value #ROWS_PER_STATEMENT} rows. There
     * a batch is milliseconds of CPU in this thread, and the scheduler lets a running thread finish
     * its time slice before a thread just woken on the same core runs: a request that arrived then
     * waited 1 to 4 ms, once per flush interval (measured on two cores, at 1 connection). Yielding
     * lets such a thread go first; with nothing waiting it costs a system call. On PostgreSQL the
     * work is the server's, in another process, and the statements go in one round trip.
     */
    void insert(List<AuditEvent> events) {
        int executeEvery = db.vendor() == Database.Vendor.H2 ? ROWS_PER_STATEMENT : Integer.MAX_VALUE;
        db.transaction("writing " + events.size() + " audit records", c -> {
            int whole = events.size() - events.size() % ROWS_PER_STATEMENT;
            if (whole > 0) {
                insert(c, INSERT_MANY, events.subList(0, whole), ROWS_PER_STATEMENT, executeEvery);
            }
            if (whole < events.size()) {
                insert(c, INSERT_ONE, events.subList(whole, events.size()), 1, executeEvery);
            }
            return null;
        });
    }

    /**
     * Binds and batches the rows; executes the batch and yields every {@code executeEvery} rows,
     * and executes what is left at the end.
     */
    private static void insert(
            Connection c, String sql, List<AuditEvent> events, int rowsPerStatement, int executeEvery)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int row = 0;
            int batched = 0;
            for (AuditEvent e : events) {
                bind(ps, row * INSERTED_COLUMNS, e);
                if (++row == rowsPerStatement) {
                    ps.addBatch();
                    row = 0;
                    batched += rowsPerStatement;
                    if (batched >= executeEvery) {
                        ps.executeBatch();
                        batched = 0;
                        Thread.yield();
                    }
                }
            }
            if (batched > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Sets the parameters of one row, the first at {@code offset + 1}. */
    private static void bind(PreparedStatement ps, int offset, AuditEvent e) throws SQLException {
        Jdbc.setInstant(ps, offset + 1, e.time());
        ps.setString(offset + 2, e.requestId());
        ps.setString(offset + 3, e.node());
        ps.setString(offset + 4, e.kind().name());
        ps.setString(offset + 5, e.tokenId() == null ? null : e.tokenId().value());
        ps.setString(offset + 6, e.tokenName());
        ps.setString(offset + 7, e.basicUser());
        ps.setString(offset + 8, key(e.basicUser()));
        ps.setString(offset + 9, e.effectiveUser());
        ps.setString(offset + 10, key(e.effectiveUser()));
        ps.setString(offset + 11, e.actor());
        ps.setString(offset + 12, e.clientIp());
        ps.setString(offset + 13, e.method());
        ps.setString(offset + 14, e.path());
        ps.setString(offset + 15, e.query());
        ps.setString(offset + 16, e.decision() == null ? null : e.decision().name());
        ps.setString(offset + 17, e.reason());
        ps.setString(offset + 18, e.matchedRule());
        Jdbc.setNullableInt(ps, offset + 19, e.status());
        Jdbc.setNullableLong(ps, offset + 20, e.upstreamMillis());
        ps.setLong(offset + 21, e.bytesIn());
        ps.setLong(offset + 22, e.bytesOut());
    }

    private static String insertSql(int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(INSERTED_COLUMNS, "?")) + ")";
        return "INSERT INTO audit_events (event_time, request_id, node, kind, token_id, token_name, basic_user,"
                + " basic_user_key, effective_user, effective_user_key, actor, client_ip, method, path, query, decision,"
                + " reason, matched_rule, status, upstream_millis, bytes_in, bytes_out) VALUES "
                + String.join(", ", Collections.nCopies(rows, row));
    }

    @Override
    public AuditPage query(AuditQuery query) {
        Optional<AuditCursor> start = query.cursor().map(AuditCursor::decode);
        List<Row> rows = db.read("reading the audit log", c -> page(c, query, start, query.limit() + 1));
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
                List<Row> rows = db.read("exporting the audit log", c -> page(c, query, from, EXPORT_PAGE));
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

    @Override
    public long deleteOlderThan(Instant cutoff) {
        long total = 0;
        while (true) {
            int deleted = db.transaction("deleting old audit records", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_events WHERE id IN (SELECT id FROM"
                        + " audit_events WHERE event_time < ? ORDER BY event_time FETCH FIRST " + DELETE_BATCH
                        + " ROWS ONLY)")) {
                    Jdbc.setInstant(ps, 1, cutoff);
                    return ps.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < DELETE_BATCH) {
                return total;
            }
        }
    }

    /** Records matching the filters below {@code start}, newest first, at most {@code limit}. */
    private static List<Row> page(Connection c, AuditQuery query, Optional<AuditCursor> start, int limit)
            throws SQLException {
        PageSql page = pageSql(query, start, limit);
        try (PreparedStatement ps = c.prepareStatement(page.sql())) {
            page.bind(ps);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    /**
     * The statement for one page, written so that the database reads about {@code limit} index
     * entries whatever the size of the log (see {@code JdbcAuditLogPlanIT}):
     *
     * <ul>
     *   <li>A filter by token orders by {@code token_id} first. Equal for every row, it changes
     *       nothing in the order, but it lets H2 see that the token index is already in that
     *       order; without it H2 read all of the token's records and sorted them (5 s for a token
     *       with 1.8 million records, on every page of an export).
     *   <li>A filter by user is the union of the newest records by Basic user and the newest by
     *       effective user, each read from its own index, since no single index answers the
     *       {@code OR}; H2 otherwise walked the whole time index for a user with few records.
     *   <li>The cursor's bound is written as a range on {@code event_time}, which the index can
     *       start from, and not only as the {@code OR} that orders ties by id.
     * </ul>
     */
    static PageSql pageSql(AuditQuery query, Optional<AuditCursor> start, int limit) {
        PageSql common = new PageSql("", List.of());
        if (query.decision().isPresent()) {
            common = common.and("decision = ?", query.decision().get().name());
        }
        if (query.kind().isPresent()) {
            common = common.and("kind = ?", query.kind().get().name());
        }
        if (query.from().isPresent()) {
            common = common.and("event_time >= ?", query.from().get());
        }
        if (query.to().isPresent()) {
            common = common.and("event_time < ?", query.to().get());
        }
        if (start.isPresent()) {
            AuditCursor cursor = start.get();
            common = common.and("event_time <= ?", cursor.time())
                    .and("(event_time < ? OR id < ?)", cursor.time(), cursor.id());
        }
        Optional<String> user = query.user().map(JdbcAuditLog::key);
        if (query.tokenId().isPresent()) {
            PageSql filtered = user.isPresent()
                    ? common.and("(basic_user_key = ? OR effective_user_key = ?)", user.get(), user.get())
                    : common;
            return newest(filtered, "token_id", query.tokenId().get().value(), limit);
        }
        if (user.isPresent()) {
            PageSql byBasic = newest(common, "basic_user_key", user.get(), limit);
            PageSql byEffective = newest(common, "effective_user_key", user.get(), limit);
            return new PageSql(
                    "SELECT " + COLUMNS + " FROM ((" + byBasic.sql() + ") UNION (" + byEffective.sql() + ")) AS matched"
                            + newestFirst(limit),
                    Jdbc.concat(byBasic.args(), byEffective.args()));
        }
        return new PageSql(
                "SELECT " + COLUMNS + " FROM audit_events WHERE 1 = 1" + common.sql() + newestFirst(limit),
                common.args());
    }

    /** The page order, newest first with the id breaking ties, and its length. */
    private static String newestFirst(int limit) {
        return " ORDER BY event_time DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** The newest {@code limit} records whose indexed {@code column} equals {@code value}. */
    private static PageSql newest(PageSql conditions, String column, String value, int limit) {
        return new PageSql(
                "SELECT " + COLUMNS + " FROM audit_events WHERE " + column + " = ?" + conditions.sql()
                        + " ORDER BY " + column + " DESC, event_time DESC, id DESC FETCH FIRST " + limit
                        + " ROWS ONLY",
                Jdbc.concat(List.of(value), conditions.args()));
    }

    /** SQL text and its parameters, in order: strings, instants and longs. */
    record PageSql(String sql, List<Object> args) {
        /** These conditions and one more, appended as {@code " AND " + condition}. */
        PageSql and(String condition, Object... values) {
            return new PageSql(sql + " AND " + condition, Jdbc.concat(args, List.of(values)));
        }

        void bind(PreparedStatement ps) throws SQLException {
            Jdbc.bind(ps, args);
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

    private static String key(String user) {
        return user == null ? null : user.toLowerCase(Locale.ROOT);
    }
}
