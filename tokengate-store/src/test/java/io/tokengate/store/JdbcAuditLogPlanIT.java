package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.TokenId;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A page of the audit log costs about a page of reads on H2, whatever the size of the log: the id
 * ranges (spans) it reads records from, and H2's own count of the rows its statement for the spans
 * scanned ({@code EXPLAIN ANALYZE}), for every filter, on a log of 50 batches where the filtered
 * records are many, few, none, or deep behind a cursor. Counted, not timed.
 */
class JdbcAuditLogPlanIT {
    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");
    private static final int RECORDS = 5000;
    private static final int BATCH = 100;
    private static final TokenId BUSY = new TokenId("tok_BUSYBUSYBUSYBUSY");
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    static Path home;

    private static Database db;
    private static JdbcAuditLog log;

    @BeforeAll
    static void fill() {
        db = Database.open(StoreConfig.builder(home).build());
        db.migrate();
        log = new JdbcAuditLog(db);
        bindTokens();
        List<AuditEvent> events = new ArrayList<>();
        for (int n = 0; n < RECORDS; n++) {
            // One busy token and user; a rare user acting through it (effective user only) in the
            // oldest records, so that a scan from the newest end has to cross the whole log.
            // 50 ms apart: a batch covers 5 s, the log some 4 minutes.
            boolean rare = n < 3;
            events.add(AuditEvent.builder(AuditKind.REQUEST, START.plusMillis(50L * n))
                    .token(BUSY, "busy")
                    .basicUser("ci")
                    .effectiveUser(rare ? "rare" : "ci")
                    .request("GET", "/rest/api/2/issue/A-" + n, null)
                    .decision(n % 100 == 0 ? AuditDecision.DENY : AuditDecision.ALLOW, null)
                    .status(n % 100 == 0 ? 403 : 200)
                    .bytes(0, 0)
                    .build());
            if (events.size() == BATCH) {
                log.insert(events);
                events.clear();
            }
        }
    }

    /**
     * The tokens of the users' own views: the rare user has the busy token and idle ones, as many
     * as a view reads the spans of one by one; the nobody an idle one; the busy user one more
     * than a view reads the spans of one by one.
     */
    private static void bindTokens() {
        Map<String, String> owners = new LinkedHashMap<>();
        owners.put(BUSY.value(), "rare");
        for (int i = 1; i < AuditListing.TOKEN_SUBJECTS; i++) {
            owners.put(String.format("tok_RARE%012d", i), "rare");
        }
        owners.put("tok_NONENONENONENONE", "nobody");
        for (int i = 0; i <= AuditListing.TOKEN_SUBJECTS; i++) {
            owners.put(String.format("tok_CI%014d", i), "ci");
        }
        db.transaction("binding tokens", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (id, name, bound_user,"
                    + " bound_user_key, created_by, created_at, limits_text, allowed_ips, secret_digest, secret_hint)"
                    + " VALUES (?, ?, ?, ?, 'admin', ?, '', '', ?, 'hint')")) {
                for (Map.Entry<String, String> owner : owners.entrySet()) {
                    ps.setString(1, owner.getKey());
                    ps.setString(2, owner.getKey());
                    ps.setString(3, owner.getValue());
                    ps.setString(4, owner.getValue());
                    Jdbc.setInstant(ps, 5, START);
                    ps.setString(6, (owner.getKey() + "0".repeat(64)).substring(0, 64));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Stream<AuditQuery> queries() {
        return Stream.of(
                AuditQuery.all(),
                AuditQuery.all().withTokenId(BUSY),
                AuditQuery.all().withUser("ci"),
                AuditQuery.all().withUser("rare"),
                AuditQuery.all().withUser("nobody"),
                AuditQuery.all().withUserOrTheirTokens("rare"),
                AuditQuery.all().withUserOrTheirTokens("nobody"),
                AuditQuery.all().withUserOrTheirTokens("ci"),
                AuditQuery.all().withUserOrTheirTokens("ci").withTokenId(BUSY),
                AuditQuery.all().withTokenId(BUSY).withUser("ci"),
                AuditQuery.all().withUser("ci").between(START, START.plusMillis(50L * RECORDS / 2)));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void aPageReadsAboutAPageOfRecords(AuditQuery query) throws SQLException {
        int limit = 51;
        // Deep in the log: the cursor of the record in the middle.
        AuditCursor middle = new AuditCursor(START.plusMillis(50L * RECORDS / 2), idOfRecordAt(RECORDS / 2));
        for (Optional<AuditCursor> start : List.of(Optional.<AuditCursor>empty(), Optional.of(middle))) {
            String page = start.isEmpty() ? "first page" : "a page behind a cursor half-way down";
            AuditListing listing = db.read("planning an audit page", c -> AuditListing.of(c, query, start));
            // The spans of a minute (12 batches) past the cursor, then a read's worth.
            assertThat(scanned(listing.spans(Optional.empty())))
                    .as(page + ": spans scanned")
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(64 + 13));
            long before = log.rangesRead();
            AuditQuery paged = start.isEmpty()
                    ? query.withLimit(limit)
                    : query.withLimit(limit).after(start.get().encode());
            List<AuditEvent> read = log.query(paged).events();
            // 51 records are in the newest batch, or the newest two where a minute splits it.
            assertThat(log.rangesRead() - before)
                    .as(page + ": id ranges read for " + read.size() + " records")
                    .isLessThanOrEqualTo(read.isEmpty() ? 0 : 3);
        }
    }

    /** The scan count of each table access in H2's plan of a statement. */
    private static List<Integer> scanned(JdbcAuditLog.PageSql statement) throws SQLException {
        return db.read("explaining an audit page", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + statement.sql())) {
                statement.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String plan = rs.getString(1);
                    List<Integer> counts = new ArrayList<>();
                    Matcher m = SCAN_COUNT.matcher(plan);
                    while (m.find()) {
                        counts.add(Integer.parseInt(m.group(1)));
                    }
                    assertThat(counts).as(plan).isNotEmpty();
                    return counts;
                }
            }
        });
    }

    private static long idOfRecordAt(int n) {
        return db.read("finding a record", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM audit_events WHERE path = '/rest/api/2/issue/A-" + n + "'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
