package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.cluster.SharedCounts;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.RateExchange;
import io.tokengate.core.token.RateExchange.Use;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.SecureModeException;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.core.token.TokenStateException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two nodes on one PostgreSQL database: a change on one reaches the other's cache within a second,
 * and what one lets through of a rate-limited token is counted on the other.
 */
class ClusterIT {
    @TempDir
    Path home;

    PostgresTestDatabase db;
    Store a;
    Store b;

    @BeforeEach
    void setUp() {
        db = PostgresTestDatabase.create();
        a = node("node-a");
        b = node("node-b");
    }

    private Store node(String id) {
        return node(id, false);
    }

    private Store node(String id, boolean secureMode) {
        return node(id, secureMode, Clock.systemUTC());
    }

    private Store node(String id, boolean secureMode, Clock clock) {
        StoreConfig config = StoreConfig.builder(home) // one home: both nodes share the key file
                .database(db.url(), null, null)
                .pool(4, Duration.ofSeconds(1))
                .nodeId(id)
                .secureMode(secureMode)
                .build();
        return Store.open(config, clock);
    }

    /**
     * Leaving secure mode beside a running node set to it is undone within a minute, so the
     * command asks first: the nodes running with token.secure.mode=true are known, by name, until
     * they stop, and a node that stopped without saying so is forgotten within minutes.
     */
    @Test
    void theNodesKeepingSecureModeAreKnownUntilTheyStop() {
        assertThat(a.secureMode().keepers()).isEmpty();
        try (Store secure = node("node-c", true)) {
            assertThat(a.secureMode().keepers())
                    .extracting(SecureModeKeeper::node)
                    .containsExactly("node-c");
            try (Store command = node("node-c", true)) {
                assertThat(a.secureMode().keepers()).hasSize(2);
            }
            assertThat(a.secureMode().keepers())
                    .as("a command run on C's machine, under C's name, leaves C's word standing")
                    .extracting(SecureModeKeeper::node)
                    .containsExactly("node-c");
            try (Store later = node("node-d", false, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(4)))) {
                assertThat(later.secureMode().keepers())
                        .as("not heard from for four minutes: gone without saying so")
                        .isEmpty();
            }
            assertThat(secure.secureMode().keep())
                    .as("still in secure mode: nothing to turn on")
                    .isFalse();
            assertThat(a.secureMode().keepers()).singleElement().satisfies(k -> assertThat(k.seenAt())
                    .isAfter(Instant.now().minusSeconds(30)));
        }
        assertThat(a.secureMode().keepers()).as("stopped, and said so").isEmpty();
    }

    /**
     * A node in secure mode that could not say so through an outage longer than a keeper's word
     * counts (three minutes: a PostgreSQL restart, a partition) says so again as soon as the
     * database answers. Before, it waited for its next periodic run, up to a minute, and {@code db
     * leave-secure-mode} run meanwhile found no keeper and left secure mode beside it (a cluster
     * review saw it do so after a restart of PostgreSQL with {@code -m immediate}).
     */
    @Test
    void aNodeKeepingSecureModeSaysSoAgainAsSoonAsTheDatabaseAnswers() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try (Store secure = node("node-c", true, clock)) {
            assertThat(secure.secureMode().keepers())
                    .extracting(SecureModeKeeper::node)
                    .containsExactly("node-c");

            db.makeUnavailable();
            millisUntil(() -> !secure.listener().isLive());
            clock.advance(Duration.ofMinutes(4));
            db.makeAvailable();

            long millis = millisUntil(() -> {
                try {
                    return !secure.secureMode().keepers().isEmpty();
                } catch (StoreUnavailableException e) {
                    return false; // the pool has not found the database back yet
                }
            });
            assertThat(secure.secureMode().keepers())
                    .as("heard after the outage, %d ms after the database was back", millis)
                    .singleElement()
                    .satisfies(k -> assertThat(k.seenAt()).isAfterOrEqualTo(clock.instant()));
        }
    }

    /**
     * Secure mode is the database's: a node started in it turns it on for nodes already running in
     * standard mode, at once, and for those started later; only an explicit step turns it off.
     * (Before, a forgotten standard node kept storing and showing secrets beside secure ones.)
     */
    @Test
    void aNodeInSecureModeTurnsItOnForEveryNodeUntilItIsLeftOnPurpose() throws Exception {
        CreatedToken before = a.tokens().create(TokenSpec.bound("before", "alice", "alice"));
        assertThat(a.tokens().reveal(before.token().id())).isPresent();
        byte[] sealed = sealedCopy(before);

        try (Store secure = node("node-c", true)) {
            assertThat(a.tokens().secureMode()).as("A follows at once").isTrue();
            assertThatThrownBy(() -> a.tokens().reveal(before.token().id())).isInstanceOf(SecureModeException.class);
            CreatedToken during = a.tokens().create(TokenSpec.bound("during", "alice", "alice"));
            assertThatThrownBy(() -> a.tokens()
                            .edit(during.token().id(), TokenEdit.none().withName("x")))
                    .isInstanceOf(SecureModeException.class);
            assertThat(secure.audit().flush(Duration.ofSeconds(5))).isTrue();
            assertThat(secure.auditLog()
                            .query(AuditQuery.all().withKind(AuditKind.SETTING_CHANGE))
                            .events())
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.actor()).isEqualTo("node node-c");
                        assertThat(e.reason()).startsWith("secure mode turned on for the database");
                    });

            // A copy a standard node sealed in the instant before it saw secure mode turned on.
            try (Connection c = db.connect();
                    PreparedStatement ps = c.prepareStatement("UPDATE tokens SET secret_sealed = ? WHERE id = ?")) {
                ps.setBytes(1, sealed);
                ps.setString(2, before.token().id().value());
                assertThat(ps.executeUpdate()).isOne();
            }
            b.close();
            b = node("node-b");
            assertThat(b.tokens().secureMode())
                    .as("a standard node started later follows")
                    .isTrue();
            assertThat(b.secureMode().leave("ops")).isTrue();
            assertThat(secure.tokens().secureMode())
                    .as("its own setting keeps C in it")
                    .isTrue();
            assertThat(a.tokens().secureMode()).isFalse();
            CreatedToken after = a.tokens().create(TokenSpec.bound("after", "alice", "alice"));
            assertThat(a.tokens().reveal(after.token().id())).isPresent();
            assertThatThrownBy(() -> a.tokens().reveal(during.token().id()))
                    .as("made while secure: never stored")
                    .isInstanceOf(TokenStateException.class);
            assertThatThrownBy(() -> a.tokens().reveal(before.token().id()))
                    .as("a copy stored in a race is erased on leaving")
                    .isInstanceOf(TokenStateException.class);

            // C, still set to secure mode, turns it on again (every minute, here at once).
            assertThat(secure.secureMode().keep()).isTrue();
            assertThat(a.tokens().secureMode()).isTrue();
            assertThatThrownBy(() -> a.tokens().reveal(after.token().id())).isInstanceOf(SecureModeException.class);
            assertThat(sealedCopy(after))
                    .as("what was stored meanwhile is erased")
                    .isNull();
            assertThat(secure.secureMode().keep()).as("once").isFalse();
        }
    }

    private byte[] sealedCopy(CreatedToken token) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT secret_sealed FROM tokens WHERE id = ?")) {
            ps.setString(1, token.token().id().value());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            a.close();
            b.close();
        } finally {
            db.makeAvailable();
            db.close();
        }
    }

    /**
     * Verifies on B until it answers from its cache (the notification of the token's creation may
     * arrive after the first lookup and drop it once).
     */
    private void cacheOnB(TokenSecret secret) {
        millisUntil(() -> {
            long hits = b.cache().hits();
            assertThat(b.tokens().verify(secret)).isPresent();
            return b.cache().hits() > hits;
        });
    }

    /** Milliseconds until {@code condition} holds, polling; fails after 10 s. */
    private static long millisUntil(BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("condition not reached within 10 s")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /**
     * Each node's sessions name the node in {@code application_name}, as the README promises: an
     * operator looking at {@code pg_stat_activity} for the node that holds a lock or runs a slow
     * query can tell. (Before, only the listener's did; the pool's were all {@code tokengate}.)
     */
    @Test
    void everySessionOfANodeNamesTheNode() throws Exception {
        a.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
        b.tokens().create(TokenSpec.bound("ci", "bob", "bob"));
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("SELECT application_name FROM pg_stat_activity"
                        + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, db.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        assertThat(names)
                .contains("tokengate-node-a", "tokengate-node-b", "tokengate-listener-node-a")
                .allSatisfy(name -> assertThat(name).matches("tokengate-(listener-)?node-[ab]"));
    }

    /**
     * After an outage long enough for the audit writer's and the cluster listener's pauses between
     * tries to have grown to seconds, a node is ready again within a second of the database
     * answering: the probe that finds it back has both try at once. (Before, a node served again
     * within moments, but its {@code /health/ready} said 503 for up to 5 s more, the writer's
     * pause, with records waiting in memory: a balancer that checks it kept every node out.)
     */
    @Test
    void aNodeIsReadyWithinASecondOfTheDatabaseAnsweringAgain() throws Exception {
        db.makeUnavailable();
        a.audit().record(AuditWriterIT.event(1));
        millisUntil(() -> a.audit().writeFailures() >= 6); // the writer now pauses 3.2 s, the listener 2 s
        db.makeAvailable();

        long millis = millisUntil(() -> a.status().health().ready());
        assertThat(millis)
                .as("ms from the database answering to the node being ready")
                .isLessThan(1000);
        // Ready says the writer is writing again; the record it was retrying follows at once.
        assertThat(millisUntil(() -> a.audit().queued() == 0))
                .as("ms from ready to the waiting record written")
                .isLessThan(1000);
    }

    @Test
    void revokeOnOneNodeIsRefusedOnTheOtherWithinOneSecond() {
        CreatedToken created = a.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
        cacheOnB(created.secret());

        long start = System.nanoTime();
        a.tokens().revoke(created.token().id());
        long afterCommit = millisUntil(() -> b.tokens().verify(created.secret()).isEmpty());
        long total = Duration.ofNanos(System.nanoTime() - start).toMillis();
        LoggerFactory.getLogger(ClusterIT.class).info("revoke on A refused on B after {} ms", total);
        assertThat(total)
                .as("revoke on A to refusal on B, ms (after commit: %d)", afterCommit)
                .isLessThan(1000);
    }

    @Test
    void editOnOneNodeReachesTheOtherWithinOneSecond() {
        CreatedToken created =
                a.tokens().create(TokenSpec.bound("ci", "alice", "alice").withLimits(".*"));
        cacheOnB(created.secret());

        long start = System.nanoTime();
        a.tokens().edit(created.token().id(), TokenEdit.none().withLimits("[GET].*/rest/api/2/myself"));
        millisUntil(() -> b.tokens()
                .verify(created.secret())
                .orElseThrow()
                .token()
                .limits()
                .equals("[GET].*/rest/api/2/myself"));
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(1000);
    }

    @Test
    void rotateOnOneNodeKillsTheOldSecretOnTheOther() {
        CreatedToken created = a.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
        cacheOnB(created.secret());
        CreatedToken rotated = a.tokens().rotate(created.token().id()).orElseThrow();
        assertThat(millisUntil(() -> b.tokens().verify(created.secret()).isEmpty()))
                .isLessThan(1000);
        assertThat(b.tokens().verify(rotated.secret())).isPresent();
    }

    @Test
    void lostListenerBypassesTheCacheUntilItReconnects() throws Exception {
        CreatedToken created = a.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
        cacheOnB(created.secret());

        // B's listener dies and cannot reconnect; the pools keep the connections they have.
        db.admin("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
        db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND application_name = '" + b.listener().applicationName() + "'");
        millisUntil(() -> !b.listener().isLive());
        assertThat(b.status().health().listener()).isEqualTo(StoreHealth.Listener.DOWN);
        assertThat(b.status().health().ready()).isFalse();
        assertThat(b.status().health().problem()).contains("cache listener");

        a.tokens().revoke(created.token().id()); // B cannot hear about this
        long bypassed = b.cache().bypassed();
        assertThat(b.tokens().verify(created.secret()))
                .as("B fails closed: reads the database")
                .isEmpty();
        assertThat(b.cache().bypassed()).isGreaterThan(bypassed);

        db.makeAvailable();
        millisUntil(() -> b.listener().isLive());
        assertThat(b.status().health().ready()).isTrue();

        CreatedToken next = a.tokens().create(TokenSpec.bound("next", "alice", "alice"));
        cacheOnB(next.secret());
        a.tokens().revoke(next.token().id());
        assertThat(millisUntil(() -> b.tokens().verify(next.secret()).isEmpty()))
                .isLessThan(1000);
    }

    /** A node's rate limiter as the store sees it: uses to hand over, and the others' received. */
    private static final class Ledger implements RateExchange {
        final ConcurrentLinkedQueue<Use> local = new ConcurrentLinkedQueue<>();
        final List<Use> charged = new CopyOnWriteArrayList<>();

        @Override
        public List<Use> drainLocal() {
            List<Use> drained = new ArrayList<>();
            for (Use use = local.poll(); use != null; use = local.poll()) {
                drained.add(use);
            }
            return drained;
        }

        @Override
        public void chargeRemote(Use use) {
            charged.add(use);
        }
    }

    private static final RateLimit FIVE_PER_MINUTE = RateLimit.parse("5/min").orElseThrow();

    @Test
    void whatOneNodeLetThroughIsChargedOnTheOthersOnly() {
        Ledger onA = new Ledger();
        Ledger onB = new Ledger();
        a.cluster().shareRateLimits(onA);
        b.cluster().shareRateLimits(onB);
        TokenId token = TokenId.generate(new SecureRandom());

        onA.local.add(new Use(token, FIVE_PER_MINUTE, 3));
        assertThat(millisUntil(() -> !onB.charged.isEmpty())).isLessThan(1000);
        assertThat(onB.charged).containsExactly(new Use(token, FIVE_PER_MINUTE, 3));

        onB.local.add(new Use(token, FIVE_PER_MINUTE, 2));
        millisUntil(() -> !onA.charged.isEmpty());
        assertThat(onA.charged).as("A hears B, not itself").containsExactly(new Use(token, FIVE_PER_MINUTE, 2));
        assertThat(onB.charged).as("B does not hear itself").hasSize(1);
    }

    @Test
    void manyTokensAreSplitOverNotificationsAndAllArrive() {
        Ledger onA = new Ledger();
        Ledger onB = new Ledger();
        a.cluster().shareRateLimits(onA);
        b.cluster().shareRateLimits(onB);
        SecureRandom random = new SecureRandom();
        List<Use> uses = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) { // about 30 KB: four notifications at least
            uses.add(new Use(TokenId.generate(random), FIVE_PER_MINUTE, i));
        }
        onA.local.addAll(uses);
        millisUntil(() -> onB.charged.size() >= uses.size());
        assertThat(onB.charged).containsExactlyInAnyOrderElementsOf(uses);
    }

    @Test
    void usesMadeWhileCutOffAreSentOnceTheListenerIsBack() throws Exception {
        Ledger onA = new Ledger();
        Ledger onB = new Ledger();
        a.cluster().shareRateLimits(onA);
        b.cluster().shareRateLimits(onB);
        TokenId token = TokenId.generate(new SecureRandom());

        db.admin("ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
        db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND application_name = '" + a.listener().applicationName() + "'");
        millisUntil(() -> !a.listener().isLive());
        onA.local.add(new Use(token, FIVE_PER_MINUTE, 4));

        db.makeAvailable();
        millisUntil(() -> a.listener().isLive());
        millisUntil(() -> !onB.charged.isEmpty());
        assertThat(onB.charged).containsExactly(new Use(token, FIVE_PER_MINUTE, 4));
    }

    /** A plane's failed logins as the store sees them: counts to hand over, and the others' received. */
    private static final class Tally implements SharedCounts {
        final Map<String, Long> local = new ConcurrentHashMap<>();
        final Map<String, Long> received = new ConcurrentHashMap<>();

        @Override
        public Map<String, Long> drainLocal() {
            Map<String, Long> drained = new java.util.HashMap<>();
            for (String key : List.copyOf(local.keySet())) {
                Long n = local.remove(key);
                if (n != null) {
                    drained.put(key, n);
                }
            }
            return drained;
        }

        @Override
        public void addRemote(String key, long count) {
            received.merge(key, count, Long::sum);
        }
    }

    @Test
    void failedLoginsOnOneNodeAreAddedUpOnTheOthersPerPlane() {
        Tally dataOnA = new Tally();
        Tally dataOnB = new Tally();
        Tally adminOnB = new Tally();
        a.cluster().shareLoginFailures("data", dataOnA);
        b.cluster().shareLoginFailures("data", dataOnB);
        b.cluster().shareLoginFailures("admin", adminOnB);

        dataOnA.local.put("10.0.0.1", 3L);
        dataOnA.local.put("2001:db8::7", 1L);
        assertThat(millisUntil(() -> dataOnB.received.size() == 2)).isLessThan(1000);
        assertThat(dataOnB.received).containsOnly(Map.entry("10.0.0.1", 3L), Map.entry("2001:db8::7", 1L));
        assertThat(adminOnB.received).as("another plane's count").isEmpty();
        assertThat(dataOnA.received).as("A does not hear itself").isEmpty();
    }
}
