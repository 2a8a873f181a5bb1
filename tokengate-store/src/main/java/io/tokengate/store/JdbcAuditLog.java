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
 * The {@code audit_events} table and its {@code audit_batches} spans (see {@link AuditSpan}), as
 * the {@link AuditLog} port: keyset-paged listings and exports, read here; the writer's batch
 * inserts are {@link JdbcAuditInserts}', deleting old records and adopting strays {@link
 * JdbcAuditRetention}'s.
 */
final class JdbcAuditLog implements AuditLog {
    private static final int EXPORT_PAGE = 1000;
    /** Spans read per statement by a listing. */
    private static final int SPANS_PER_READ = 64;

    private static final String COLUMNS = "id, event_time, request_id, node, kind, token_id, token_name, basic_user,"
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
        List<Row> rows = db.read("reading the audit log", c -> page(c, Listing.of(c, query, start), query.limit() + 1));
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
                        db.read("exporting the audit log", c -> page(c, Listing.of(c, query, from), EXPORT_PAGE));
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

    /**
     * What a listing reads: the spans of one subject that may hold a match, and in each span's id
     * range the records matching every filter.
     *
     * <p>A user's own view ({@link AuditQuery#userTokens()}) reads along the spans of the user and
     * of each of their tokens while they have at most {@value #TOKEN_SUBJECTS} tokens: one branch
     * per subject, each along its key, so that a statement grows with the tokens. A user with more
     * (a CI job that makes a token per run owns thousands) reads the spans of all records instead,
     * and keeps a record that names the user or whose token {@code tokens} says is bound to them:
     * statements of one size whatever the number of tokens. Such a user is as a rule a busy one,
     * whose page is in the newest spans; one whose many tokens are long idle reads on through the
     * log, as a filter on the decision alone does.
     *
     * @param subjects the most selective subjects the filters name: a token, else a user and the
     *     tokens that count as theirs, else all
     * @param spanConditions conditions on the spans' times, from the time filters and the cursor
     * @param recordConditions every filter, on the records
     */
    record Listing(List<String> subjects, PageSql spanConditions, PageSql recordConditions) {
        /** The most tokens of a user's own view that the view reads the spans of one by one. */
        static final int TOKEN_SUBJECTS = 100;

        /** The listing of {@code query} from {@code start}, with the tokens of a user's own view. */
        static Listing of(Connection c, AuditQuery query, Optional<AuditCursor> start) throws SQLException {
            Optional<List<TokenId>> owned =
                    query.userTokens() ? fewTokensOf(c, query.user().orElseThrow()) : Optional.of(List.of());
            return of(query, start, owned);
        }

        /**
         * The tokens bound to {@code user}, in id order, if there are at most {@value
         * #TOKEN_SUBJECTS}; empty if there are more.
         */
        private static Optional<List<TokenId>> fewTokensOf(Connection c, String user) throws SQLException {
            List<TokenId> ids = select(
                    c,
                    new PageSql(
                            "SELECT id FROM tokens WHERE bound_user_key = ? ORDER BY created_at FETCH FIRST "
                                    + (TOKEN_SUBJECTS + 1) + " ROWS ONLY",
                            List.of(JdbcTokenRepository.key(user))),
                    rs -> new TokenId(rs.getString("id")));
            return ids.size() > TOKEN_SUBJECTS
                    ? Optional.empty()
                    : Optional.of(ids.stream()
                            .sorted(Comparator.comparing(TokenId::value))
                            .toList());
        }

        /**
         * @param owned the tokens bound to the user of a user's own view, or empty when there are
         *     more than {@value #TOKEN_SUBJECTS}; no tokens for any other query
         */
        static Listing of(AuditQuery query, Optional<AuditCursor> start, Optional<List<TokenId>> owned) {
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
                records = owned.isPresent()
                        ? records.and(userCondition(owned.get().size()), userArgs(user.get(), owned.get()))
                        : records.and(
                                "(basic_user_key = ? OR effective_user_key = ? OR EXISTS (SELECT 1 FROM tokens owned"
                                        + " WHERE owned.id = audit_events.token_id AND owned.bound_user_key = ?))",
                                user.get(),
                                user.get(),
                                user.get());
            }
            List<String> subjects = query.tokenId()
                    .map(id -> List.of(AuditSpan.token(id)))
                    .or(() -> owned.flatMap(few -> query.user().map(u -> userSubjects(u, few))))
                    .orElse(List.of(AuditSpan.ALL));
            if (query.tokenId().isPresent()) {
                records = records.and("token_id = ?", query.tokenId().get().value());
            }
            return new Listing(subjects, spans, records);
        }

        private static String userCondition(int tokens) {
            String byName = "basic_user_key = ? OR effective_user_key = ?";
            return tokens == 0
                    ? "(" + byName + ")"
                    : "(" + byName + " OR token_id IN (" + String.join(", ", Collections.nCopies(tokens, "?")) + "))";
        }

        private static Object[] userArgs(String key, List<TokenId> tokens) {
            List<Object> args = new ArrayList<>(List.of(key, key));
            tokens.forEach(t -> args.add(t.value()));
            return args.toArray();
        }

        private static List<String> userSubjects(String user, List<TokenId> tokens) {
            List<String> subjects = new ArrayList<>(List.of(AuditSpan.user(user)));
            tokens.forEach(t -> subjects.add(AuditSpan.token(t)));
            return List.copyOf(subjects);
        }

        /**
         * The next {@value JdbcAuditLog#SPANS_PER_READ} spans, newest first, after {@code after}. Of
         * several subjects, each reads its own newest along its key, and the union's newest are
         * taken; the subject orders spans of one batch that end at one time.
         */
        PageSql spans(Optional<AuditSpan> after) {
            if (subjects.size() == 1) {
                return spans(subjects.get(0), after);
            }
            PageSql union = new PageSql("SELECT " + SPAN_COLUMNS + " FROM (", List.of());
            for (int i = 0; i < subjects.size(); i++) {
                PageSql one = spans(subjects.get(i), after);
                union = new PageSql(
                        union.sql() + (i == 0 ? "(" : " UNION ALL (") + one.sql() + ")",
                        Jdbc.concat(union.args(), one.args()));
            }
            return union.then(") spans ORDER BY max_time DESC, batch_id DESC, subject DESC FETCH FIRST "
                    + SPANS_PER_READ + " ROWS ONLY");
        }

        private PageSql spans(String subject, Optional<AuditSpan> after) {
            PageSql sql = new PageSql(
                            "SELECT " + SPAN_COLUMNS + " FROM audit_batches WHERE subject = ?", List.of(subject))
                    .and(spanConditions);
            if (after.isPresent()) {
                AuditSpan last = after.get();
                sql = sql.and("max_time <= ?", last.maxTime())
                        .and(
                                "(max_time < ? OR batch_id < ? OR (batch_id = ? AND subject < ?))",
                                last.maxTime(),
                                last.batch(),
                                last.batch(),
                                last.subject());
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
