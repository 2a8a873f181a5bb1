package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The audit log's write side: batches of records into {@code audit_events}, each with a batch
 * number, ids of that batch and its spans in {@code audit_batches} (see {@link AuditSpan}), in one
 * transaction. PostgreSQL takes the rows by {@code COPY} ({@link AuditCopy}); H2 by multi-row
 * {@code INSERT}s, here. The audit writer calls {@link #insert(List)} once per batch; the spill's
 * files come back through {@link #insertOnce}.
 */
final class JdbcAuditInserts {
    private static final int ROWS_PER_STATEMENT = 50;
    private static final int INSERTED_COLUMNS = 23;
    private static final String INSERT_ONE = insertSql(1);
    private static final String INSERT_MANY = insertSql(ROWS_PER_STATEMENT);

    private final Database db;

    JdbcAuditInserts(Database db) {
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
            long number = nextBatch(c, db.vendor());
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

    /** The next batch number, from the sequence {@code audit_batch_ids}. */
    static long nextBatch(Connection c, Database.Vendor vendor) throws SQLException {
        String sql = vendor == Database.Vendor.H2
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
        ps.setString(offset + 9, Jdbc.userKey(e.basicUser()));
        ps.setString(offset + 10, e.effectiveUser());
        ps.setString(offset + 11, Jdbc.userKey(e.effectiveUser()));
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
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_batches (" + JdbcAuditLog.SPAN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
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
}
