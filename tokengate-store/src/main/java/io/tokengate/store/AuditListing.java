package io.tokengate.store;

import static io.tokengate.store.JdbcAuditLog.COLUMNS;
import static io.tokengate.store.JdbcAuditLog.SPANS_PER_READ;
import static io.tokengate.store.JdbcAuditLog.SPAN_COLUMNS;
import static io.tokengate.store.JdbcAuditLog.select;

import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenId;
import io.tokengate.store.JdbcAuditLog.PageSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a listing of {@link JdbcAuditLog} reads: the spans of one subject that may hold a match,
 * and in each span's id range the records matching every filter.
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
record AuditListing(List<String> subjects, PageSql spanConditions, PageSql recordConditions) {
    /** The most tokens of a user's own view that the view reads the spans of one by one. */
    static final int TOKEN_SUBJECTS = 100;

    /** The listing of {@code query} from {@code start}, with the tokens of a user's own view. */
    static AuditListing of(Connection c, AuditQuery query, Optional<AuditCursor> start) throws SQLException {
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
                        List.of(Jdbc.userKey(user))),
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
    static AuditListing of(AuditQuery query, Optional<AuditCursor> start, Optional<List<TokenId>> owned) {
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
        Optional<String> user = query.user().map(Jdbc::userKey);
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
        return new AuditListing(subjects, spans, records);
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
        return union.then(") spans ORDER BY max_time DESC, batch_id DESC, subject DESC FETCH FIRST " + SPANS_PER_READ
                + " ROWS ONLY");
    }

    private PageSql spans(String subject, Optional<AuditSpan> after) {
        PageSql sql = new PageSql("SELECT " + SPAN_COLUMNS + " FROM audit_batches WHERE subject = ?", List.of(subject))
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
        return sql.then(
                " ORDER BY subject DESC, max_time DESC, batch_id DESC FETCH FIRST " + SPANS_PER_READ + " ROWS ONLY");
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
