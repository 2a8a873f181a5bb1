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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code audit_events} table and its {@code audit_batches} spans (see {@link AuditSpan}):
 * batch inserts for the writer, keyset-paged queries, exports, retention.
 */
final class JdbcAuditLog implements AuditLog {
    private static final int EXPORT_PAGE = 1000;
    /** Spans read per statement, by a listing and by retention. */
    private static final int SPANS_PER_READ = 64;

    private static final int SPANS_PER_DELETE = 1000;
    /** Spans of all records whose old records one retention transaction deletes: some 10 000. */
    private static final int RETENTION_SPANS = 10;

    private static final int ROWS_PER_STATEMENT = 50;
    private static final int INSERTED_COLUMNS = 23;
    private static final String INSERT_ONE = insertSql(1);
    private static final String INSERT_MANY = insertSql(ROWS_PER_STATEMENT);
    private static final String COLUMNS = "id, event_time, request_id, node, kind, token_id, token_name, basic_user,"
            + " effective_user, actor, client_ip, method, path, query, decision, reason, matched_rule, status,"
            + " upstream_millis, bytes_in, bytes_out";
    private static final String SPAN_COLUMNS = "subject, max_time, batch_id, min_time, first_id, last_id";
    /** Spans for the records with ids in (?, ?], four times over, as one batch (the first ?). */
    private static final String ADOPT_STRAYS = "INSERT INTO audit_batches (" + SPAN_COLUMNS + ")"
            + " SELECT subject, MAX(event_time), CAST(? AS BIGINT), MIN(event_time), MIN(id), MAX(id) FROM ("
            + " SELECT '*' AS subject, DATE_TRUNC('MINUTE', event_time) AS of_minute, id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ?"
            + " UNION ALL SELECT 't:' || token_id, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND token_id IS NOT NULL"
            + " UNION ALL SELECT 'u:' || basic_user_key, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND basic_user_key IS NOT NULL"
            + " UNION ALL SELECT 'u:' || effective_user_key, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND effective_user_key IS NOT NULL"
            + " AND (basic_user_key IS NULL OR effective_user_key <> basic_user_key)"
            + ") AS subjects GROUP BY subject, of_minute";

    private static final Comparator<Row> NEWEST_FIRST = Comparator.comparing(
                    (Row r) -> r.cursor().time())
            .thenComparingLong(r -> r.cursor().id())
            .reversed();

    private final Database db;
    /** Id ranges read by listings so far: what a page costs, for tests. */
    private final AtomicLong rangesRead = new AtomicLong();

    JdbcAuditLog(Database db) {
        this.db = db;
    }

    /**
     * Inserts the records in one transaction as one batch (or several, past {@value
     * AuditSpan#ID_BITS} bits of ids): a batch number from the sequence, the records in time order
     * with the ids of that batch, and their spans. PostgreSQL takes the records by {@code COPY}
     * ({@link AuditCopy}), H2 by multi-row {@code INSERT}s ({@link #insertRows}).
     */
    void insert(List<AuditEvent> events) {
        db.transaction("writing " + events.size() + " audit records", c -> {
            insert(c, events);
            return null;
        });
    }

    /**
     * Inserts the records of a file that {@link AuditSpill} kept, in one transaction with the
     * file's {@code digest} in {@code audit_imports}.
     *
     * @throws StoreConflictException when that digest is there: the records were written before
     */
    void insertOnce(String digest, String fileName, List<AuditEvent> events, Instant now) {
        db.transaction("writing " + events.size() + " audit records kept in " + fileName, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_imports (digest, file_name, records, imported_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, digest);
                ps.setString(2, fileName);
                ps.setInt(3, events.size());
                Jdbc.setInstant(ps, 4, now);
                ps.executeUpdate();
            }
            insert(c, events);
            return null;
        });
    }

    private void insert(Connection c, List<AuditEvent> events) throws SQLException {
        for (int from = 0; from < events.size(); from += AuditSpan.MAX_BATCH) {
            List<AuditEvent> batch =
                    new ArrayList<>(events.subList(from, Math.min(events.size(), from + AuditSpan.MAX_BATCH)));
            batch.sort(Comparator.comparing(AuditEvent::time));
            long number = nextBatch(c);
            if (db.vendor() == Database.Vendor.POSTGRESQL) {
                AuditCopy.copy(c, number, batch);
            } else {
                insertRows(c, number, batch);
            }
            insertSpans(c, AuditSpan.of(number, batch));
        }
    }

    /**
     * Inserts the records {@value #ROWS_PER_STATEMENT} rows per {@code INSERT} and the rest one
     * per statement, sent as JDBC batches. H2 then runs one command per 50 rows instead of one per
     * row (measured about 20% more records per second).
     *
     * <p>The writer also yields its core after every {@value #ROWS_PER_STATEMENT} rows. A batch is
     * milliseconds of CPU in this thread, and the scheduler lets a running thread finish its time
     * slice before a thread just woken on the same core runs: a request that arrived then waited 1
     * to 4 ms, once per flush interval (measured on two cores, at 1 connection). Yielding lets such
     * a thread go first; with nothing waiting it costs a system call.
     */
    private static void insertRows(Connection c, long number, List<AuditEvent> batch) throws SQLException {
        int whole = batch.size() - batch.size() % ROWS_PER_STATEMENT;
        if (whole > 0) {
            insert(c, INSERT_MANY, number, batch.subList(0, whole), 0, ROWS_PER_STATEMENT);
        }
        if (whole < batch.size()) {
            insert(c, INSERT_ONE, number, batch.subList(whole, batch.size()), whole, 1);
        }
    }

    private long nextBatch(Connection c) throws SQLException {
        String sql = db.vendor() == Database.Vendor.H2
                ? "VALUES NEXT VALUE FOR audit_batch_ids"
                : "SELECT nextval('audit_batch_ids')";
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Binds and batches the rows, the first with the id of record {@code firstIndex} of the batch;
     * executes the batch and yields every {@value #ROWS_PER_STATEMENT} rows, and executes what is
     * left at the end.
     */
    private static void insert(
            Connection c, String sql, long batch, List<AuditEvent> events, int firstIndex, int rowsPerStatement)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int row = 0;
            int batched = 0;
            int index = firstIndex;
            for (AuditEvent e : events) {
                bind(ps, row * INSERTED_COLUMNS, AuditSpan.id(batch, index++), e);
                if (++row == rowsPerStatement) {
                    ps.addBatch();
                    row = 0;
                    batched += rowsPerStatement;
                    if (batched >= ROWS_PER_STATEMENT) {
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
    private static void bind(PreparedStatement ps, int offset, long id, AuditEvent e) throws SQLException {
        ps.setLong(offset + 1, id);
        Jdbc.setInstant(ps, offset + 2, e.time());
        ps.setString(offset + 3, e.requestId());
        ps.setString(offset + 4, e.node());
        ps.setString(offset + 5, e.kind().name());
        ps.setString(offset + 6, e.tokenId() == null ? null : e.tokenId().value());
        ps.setString(offset + 7, e.tokenName());
        ps.setString(offset + 8, e.basicUser());
        ps.setString(offset + 9, AuditSpan.key(e.basicUser()));
        ps.setString(offset + 10, e.effectiveUser());
        ps.setString(offset + 11, AuditSpan.key(e.effectiveUser()));
        ps.setString(offset + 12, e.actor());
        ps.setString(offset + 13, e.clientIp());
        ps.setString(offset + 14, e.method());
        ps.setString(offset + 15, e.path());
        ps.setString(offset + 16, e.query());
        ps.setString(offset + 17, e.decision() == null ? null : e.decision().name());
        ps.setString(offset + 18, e.reason());
        ps.setString(offset + 19, e.matchedRule());
        Jdbc.setNullableInt(ps, offset + 20, e.status());
        Jdbc.setNullableLong(ps, offset + 21, e.upstreamMillis());
        ps.setLong(offset + 22, e.bytesIn());
        ps.setLong(offset + 23, e.bytesOut());
    }

    private static String insertSql(int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(INSERTED_COLUMNS, "?")) + ")";
        return "INSERT INTO audit_events (id, event_time, request_id, node, kind, token_id, token_name, basic_user,"
                + " basic_user_key, effective_user, effective_user_key, actor, client_ip, method, path, query, decision,"
                + " reason, matched_rule, status, upstream_millis, bytes_in, bytes_out) VALUES "
                + String.join(", ", Collections.nCopies(rows, row));
    }

    private static void insertSpans(Connection c, List<AuditSpan> spans) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO audit_batches (" + SPAN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            for (AuditSpan span : spans) {
                ps.setString(1, span.subject());
                Jdbc.setInstant(ps, 2, span.maxTime());
                ps.setLong(3, span.batch());
                Jdbc.setInstant(ps, 4, span.minTime());
                ps.setLong(5, span.firstId());
                ps.setLong(6, span.lastId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public AuditPage query(AuditQuery query) {
        Listing listing = Listing.of(query, query.cursor().map(AuditCursor::decode));
        List<Row> rows = db.read("reading the audit log", c -> page(c, listing, query.limit() + 1));
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
                Listing listing = Listing.of(query, start);
                List<Row> rows = db.read("exporting the audit log", c -> page(c, listing, EXPORT_PAGE));
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
     * Deletes the records older than {@code cutoff}: in the id range of each span of all records
     * that began before it, oldest first, some ten thousand records per transaction; then the
     * spans that ended before it. A span that straddles the cutoff stays, and its older records
     * are gone.
     */
    @Override
    public long deleteOlderThan(Instant cutoff) {
        long total = 0;
        Optional<AuditSpan> after = Optional.empty();
        while (true) {
            Optional<AuditSpan> from = after;
            List<AuditSpan> old = db.read("finding old audit records", c -> oldSpans(c, cutoff, from));
            total += db.transaction("deleting old audit records", c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM audit_events WHERE id BETWEEN ? AND ? AND event_time < ?")) {
                    int deleted = 0;
                    for (AuditSpan span : old) {
                        ps.setLong(1, span.firstId());
                        ps.setLong(2, span.lastId());
                        Jdbc.setInstant(ps, 3, cutoff);
                        deleted += ps.executeUpdate();
                    }
                    return deleted;
                }
            });
            if (old.size() < RETENTION_SPANS) {
                break;
            }
            after = Optional.of(old.get(old.size() - 1));
        }
        while (db.transaction("deleting old audit spans", c -> deleteEndedSpans(c, cutoff)) == SPANS_PER_DELETE) {
            // another transaction's worth
        }
        return total;
    }

    /**
     * Builds spans for records that a node of an older version wrote without them, in a cluster
     * upgraded node by node (see migration V5): those with identity ids past the last adopted, up
     * to the highest the previous pass saw, one span per subject and minute. One pass behind,
     * because an older node may commit a batch with lower ids after a later one. Nodes take turns
     * through a row lock.
     *
     * @return how many records were adopted
     */
    long adoptStrays() {
        return db.transaction("adopting audit records of older nodes", c -> {
            long adoptedTo;
            long seenTo;
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT adopted_to, seen_to FROM audit_strays WHERE id = 1 FOR UPDATE");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                adoptedTo = rs.getLong(1);
                seenTo = rs.getLong(2);
            }
            long newest = Math.max(seenTo, strayNumber(c, "SELECT COALESCE(MAX(id), 0)", 0, AuditSpan.FIRST_ID - 1));
            long adopted = seenTo > adoptedTo ? strayNumber(c, "SELECT COUNT(*)", adoptedTo, seenTo) : 0;
            if (adopted > 0) {
                try (PreparedStatement ps = c.prepareStatement(ADOPT_STRAYS)) {
                    ps.setLong(1, nextBatch(c));
                    for (int i = 0; i < 4; i++) {
                        ps.setLong(2 + 2 * i, adoptedTo);
                        ps.setLong(3 + 2 * i, seenTo);
                    }
                    ps.executeUpdate();
                }
            }
            if (newest != seenTo || adopted > 0) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE audit_strays SET adopted_to = ?, seen_to = ? WHERE id = 1")) {
                    ps.setLong(1, Math.max(adoptedTo, seenTo));
                    ps.setLong(2, newest);
                    ps.executeUpdate();
                }
            }
            return adopted;
        });
    }

    /** {@code select} (one number) over the records with ids in {@code (after, upTo]}. */
    private static long strayNumber(Connection c, String select, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + " FROM audit_events WHERE id > ? AND id <= ?")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Spans of all records that began before {@code cutoff}, oldest first, after {@code after}. */
    private static List<AuditSpan> oldSpans(Connection c, Instant cutoff, Optional<AuditSpan> after)
            throws SQLException {
        PageSql sql = new PageSql(
                        "SELECT " + SPAN_COLUMNS + " FROM audit_batches WHERE subject = ?", List.of(AuditSpan.ALL))
                .and("min_time < ?", cutoff);
        if (after.isPresent()) {
            AuditSpan last = after.get();
            sql = sql.and("min_time >= ?", last.minTime())
                    .and("(min_time > ? OR batch_id > ?)", last.minTime(), last.batch());
        }
        return spans(c, sql.then(" ORDER BY min_time, batch_id FETCH FIRST " + RETENTION_SPANS + " ROWS ONLY"));
    }

    /** Deletes up to {@value #SPANS_PER_DELETE} spans that ended before {@code cutoff}. */
    private static int deleteEndedSpans(Connection c, Instant cutoff) throws SQLException {
        List<AuditSpan> ended = spans(
                c,
                new PageSql("SELECT " + SPAN_COLUMNS + " FROM audit_batches WHERE min_time < ?", List.of(cutoff))
                        .and("max_time < ?", cutoff)
                        .then(" FETCH FIRST " + SPANS_PER_DELETE + " ROWS ONLY"));
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM audit_batches WHERE subject = ? AND max_time = ? AND batch_id = ?")) {
            for (AuditSpan span : ended) {
                ps.setString(1, span.subject());
                Jdbc.setInstant(ps, 2, span.maxTime());
                ps.setLong(3, span.batch());
                ps.addBatch();
            }
            if (!ended.isEmpty()) {
                ps.executeBatch();
            }
        }
        return ended.size();
    }

    /**
     * The newest {@code limit} records of a listing: its spans newest first, merged. Spans of one
     * subject overlap in time (two nodes write at once; a record may arrive late), so reading
     * stops only at a span that ended before the oldest record kept, when {@code limit} are kept.
     */
    private List<Row> page(Connection c, Listing listing, int limit) throws SQLException {
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

    /** Id ranges read by listings since this log was opened. */
    long rangesRead() {
        return rangesRead.get();
    }

    /**
     * What a listing reads: the spans of one subject that may hold a match, and in each span's id
     * range the records matching every filter.
     *
     * @param subject the most selective subject the filters name: a token, else a user, else all
     * @param spanConditions conditions on the spans' times, from the time filters and the cursor
     * @param recordConditions every filter, on the records
     */
    record Listing(String subject, PageSql spanConditions, PageSql recordConditions) {
        static Listing of(AuditQuery query, Optional<AuditCursor> start) {
            PageSql spans = PageSql.EMPTY;
            PageSql records = PageSql.EMPTY;
            if (query.decision().isPresent()) {
                records = records.and("decision = ?", query.decision().get().name());
            }
            if (query.kind().isPresent()) {
                records = records.and("kind = ?", query.kind().get().name());
            }
            if (query.from().isPresent()) {
                spans = spans.and("max_time >= ?", query.from().get());
                records = records.and("event_time >= ?", query.from().get());
            }
            // A span that began before t ended before t plus a minute: the bound the index reads from.
            if (query.to().isPresent()) {
                Instant to = query.to().get();
                spans = spans.and("min_time < ?", to).and("max_time < ?", to.plus(AuditSpan.LENGTH));
                records = records.and("event_time < ?", to);
            }
            if (start.isPresent()) {
                AuditCursor cursor = start.get();
                spans = spans.and("min_time <= ?", cursor.time())
                        .and("max_time < ?", cursor.time().plus(AuditSpan.LENGTH));
                records = records.and("event_time <= ?", cursor.time())
                        .and("(event_time < ? OR id < ?)", cursor.time(), cursor.id());
            }
            Optional<String> user = query.user().map(AuditSpan::key);
            if (user.isPresent()) {
                records = records.and("(basic_user_key = ? OR effective_user_key = ?)", user.get(), user.get());
            }
            String subject = query.tokenId()
                    .map(AuditSpan::token)
                    .or(() -> query.user().map(AuditSpan::user))
                    .orElse(AuditSpan.ALL);
            if (query.tokenId().isPresent()) {
                records = records.and("token_id = ?", query.tokenId().get().value());
            }
            return new Listing(subject, spans, records);
        }

        /** The next {@value JdbcAuditLog#SPANS_PER_READ} spans, newest first, after {@code after}. */
        PageSql spans(Optional<AuditSpan> after) {
            PageSql sql = new PageSql(
                            "SELECT " + SPAN_COLUMNS + " FROM audit_batches WHERE subject = ?", List.of(subject))
                    .and(spanConditions);
            if (after.isPresent()) {
                AuditSpan last = after.get();
                sql = sql.and("max_time <= ?", last.maxTime())
                        .and("(max_time < ? OR batch_id < ?)", last.maxTime(), last.batch());
            }
            return sql.then(" ORDER BY subject DESC, max_time DESC, batch_id DESC FETCH FIRST " + SPANS_PER_READ
                    + " ROWS ONLY");
        }

        /** The newest {@code limit} matching records in the id range and minute of {@code span}. */
        PageSql records(AuditSpan span, int limit) {
            return new PageSql(
                            "SELECT " + COLUMNS + " FROM audit_events WHERE id BETWEEN ? AND ?",
                            List.of(span.firstId(), span.lastId()))
                    .and("event_time >= ?", span.minute())
                    .and("event_time < ?", span.minute().plus(AuditSpan.LENGTH))
                    .and(recordConditions)
                    .then(" ORDER BY event_time DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY");
        }
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

    private static List<AuditSpan> spans(Connection c, PageSql sql) throws SQLException {
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
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> select(Connection c, PageSql sql, RowReader<T> reader) throws SQLException {
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
