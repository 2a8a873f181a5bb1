package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditExportFormat;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditPage;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.InvalidTokenSpecException;
import io.tokengate.core.token.RevokedToken;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenDigest;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenPage;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.core.token.TokenStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's contract, run unchanged on every backend ({@link H2StoreIT}, {@link
 * PostgresStoreIT}): both databases must mean the same thing.
 */
abstract class StoreContract {
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path home;

    StoreFixture fixture;
    MutableClock clock;
    final List<Store> opened = new ArrayList<>();

    abstract StoreFixture newFixture();

    @BeforeEach
    void setUp() {
        fixture = newFixture();
        clock = new MutableClock(START);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Store store : opened) {
            store.close();
        }
        fixture.close();
    }

    Store open() {
        return open(b -> b);
    }

    Store open(UnaryOperator<StoreConfig.Builder> settings) {
        Store store = Store.open(settings.apply(fixture.config(home)).build(), clock);
        opened.add(store);
        return store;
    }

    // ---- tokens ----

    @Test
    void createShowEditRevokeDelete() {
        Store store = open();
        CreatedToken created = store.tokens()
                .create(TokenSpec.bound("ci deploy", "Alice", "admin")
                        .withExpiry(Expiry.inDays(30))
                        .withLimits("# deploys\n[post].*/rest/api/2/issue/JRA.*\n")
                        .withAllowedIps("10.0.0.0/8, 2001:db8::/32")
                        .withRateLimit("120 / Minute"));
        TokenId id = created.token().id();

        Token shown = store.tokens().show(id).orElseThrow();
        assertThat(shown).isEqualTo(created.token());
        assertThat(shown.boundUser()).contains("Alice");
        assertThat(shown.expiresAt()).isEqualTo(START.plus(Duration.ofDays(30)));
        assertThat(shown.limits()).isEqualTo("# deploys\n[post].*/rest/api/2/issue/JRA.*\n");
        assertThat(shown.allowedIps().entries()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(shown.rateLimit())
                .hasValueSatisfying(rate -> assertThat(rate.toString()).isEqualTo("120/min"));
        assertThat(shown.hint()).isEqualTo(created.secret().hint());
        assertThat(shown.status(clock)).isEqualTo(TokenStatus.ACTIVE);

        Token edited = store.tokens()
                .edit(id, TokenEdit.none().withName("ci deploy v2").withExpiry(Expiry.never()))
                .orElseThrow();
        assertThat(edited.name()).isEqualTo("ci deploy v2");
        assertThat(edited.expiresAt()).isNull();
        assertThat(edited.limits()).isEqualTo(shown.limits());
        assertThat(edited.rateLimit())
                .as("an edit without a rate limit keeps it")
                .isEqualTo(shown.rateLimit());

        Token faster =
                store.tokens().edit(id, TokenEdit.none().withRateLimit("5/s")).orElseThrow();
        assertThat(faster.rateLimit())
                .hasValueSatisfying(rate -> assertThat(rate.toString()).isEqualTo("5/s"));
        assertThat(store.tokens().show(id).orElseThrow().rateLimit()).isEqualTo(faster.rateLimit());
        assertThatThrownBy(() ->
                        store.tokens().edit(id, TokenEdit.none().withName("x").withRateLimit("5/week")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("rateLimit");
        assertThat(store.tokens().show(id).orElseThrow().name())
                .as("a refused edit changes nothing")
                .isEqualTo("ci deploy v2");
        Token unlimited =
                store.tokens().edit(id, TokenEdit.none().withRateLimit("none")).orElseThrow();
        assertThat(unlimited.rateLimit()).isEmpty();
        assertThat(store.tokens().show(id).orElseThrow().rateLimit()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        RevokedToken first = store.tokens().revoke(id).orElseThrow();
        Token revoked = first.token();
        assertThat(first.already()).isFalse();
        assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
        assertThat(revoked.status(clock)).isEqualTo(TokenStatus.REVOKED);
        clock.advance(Duration.ofMinutes(1));
        RevokedToken again = store.tokens().revoke(id).orElseThrow();
        assertThat(again.already()).isTrue();
        assertThat(again.token().revokedAt())
                .as("revoking again keeps the first time")
                .isEqualTo(revoked.revokedAt());

        assertThat(store.tokens().delete(id)).isTrue();
        assertThat(store.tokens().show(id)).isEmpty();
        assertThat(store.tokens().delete(id)).isFalse();
        assertThat(store.tokens().revoke(id)).isEmpty();
        assertThat(store.tokens().edit(id, TokenEdit.none().withName("x"))).isEmpty();
    }

    @Test
    void verifiesByDigest() {
        Store store = open();
        CreatedToken created = store.tokens().create(TokenSpec.unbound("any user", "admin"));
        assertThat(store.tokens().verify(created.secret())).hasValueSatisfying(v -> assertThat(v.id())
                .isEqualTo(created.token().id()));
        TokenSecret stranger = TokenSecret.generate(new SecureRandom());
        assertThat(store.tokens().verify(stranger)).isEmpty();
    }

    /**
     * Two edits of one token at once, each changing another field: the second waits for the first
     * and applies to what it wrote, so neither is undone. (Without the row held from read to
     * write, the second wrote back the limits it had read, and a tightening of limits that the
     * audit log records as made was silently reverted.)
     */
    @Test
    void anEditWaitsForAnotherOfTheSameTokenAndKeepsWhatItChanged() throws Exception {
        Store store = open();
        CreatedToken created =
                store.tokens().create(TokenSpec.bound("wide", "alice", "admin").withLimits(".*/rest/.*"));
        TokenId id = created.token().id();
        JdbcTokenRepository repository = new JdbcTokenRepository(store.database());
        CountDownLatch firstHasRead = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Token>> narrowing = pool.submit(() -> repository.updateEditable(id, current -> {
                firstHasRead.countDown();
                sleepQuietly(300); // the second edit reads now, if it can
                return current.withEditableFields(
                        current.name(),
                        ".*/rest/api/2/issue/JRA-.*",
                        current.expiresAt(),
                        current.allowedIps(),
                        current.rateLimit());
            }));
            assertThat(firstHasRead.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Optional<Token>> renaming = pool.submit(() -> repository.updateEditable(
                    id,
                    current -> current.withEditableFields(
                            "renamed",
                            current.limits(),
                            current.expiresAt(),
                            current.allowedIps(),
                            current.rateLimit())));
            narrowing.get(10, TimeUnit.SECONDS);
            assertThat(renaming.get(10, TimeUnit.SECONDS))
                    .as("the second edit read what the first wrote")
                    .hasValueSatisfying(token -> assertThat(token.limits()).isEqualTo(".*/rest/api/2/issue/JRA-.*"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.tokens().show(id)).hasValueSatisfying(token -> {
            assertThat(token.name()).isEqualTo("renamed");
            assertThat(token.limits()).isEqualTo(".*/rest/api/2/issue/JRA-.*");
        });
    }

    /**
     * Revokes of one token at once (two admins, a script and an admin): exactly one says it revoked
     * the token, the others that it was revoked already, so the audit says "revoked" once. (The
     * admin plane used to judge from the token as it read it before revoking: each said "revoked".)
     */
    @Test
    void ofRevokesAtOnceExactlyOneRevokes() throws Exception {
        Store store = open();
        TokenId id = store.tokens()
                .create(TokenSpec.bound("ci", "alice", "admin"))
                .token()
                .id();
        int revokes = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(revokes);
        List<Future<RevokedToken>> results = new ArrayList<>();
        try {
            for (int i = 0; i < revokes; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.tokens().revoke(id).orElseThrow();
                }));
            }
            start.countDown();
            List<RevokedToken> revoked = new ArrayList<>();
            for (Future<RevokedToken> result : results) {
                revoked.add(result.get(30, TimeUnit.SECONDS));
            }
            assertThat(revoked).filteredOn(r -> !r.already()).hasSize(1);
            assertThat(revoked)
                    .extracting(r -> r.token().revokedAt())
                    .as("one time of revocation, the first's")
                    .containsOnly(store.tokens().show(id).orElseThrow().revokedAt());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A standard node seals a new secret, and before it stores it another node starts in secure
     * mode, turns it on for the database and erases every stored copy (a cluster; here the first
     * node is held at that instant): the copy stored just after must not stay, since secure mode
     * keeps no copy of any secret. (It did: never shown while secure, but kept in the database.)
     */
    @Test
    void aSecretSealedJustBeforeAnotherNodeTurnsSecureModeOnIsNotKept() throws Exception {
        Store standard = open();
        CreatedToken created = whileAnotherNodeTurnsSecureModeOn(standard, "creating token", () -> standard.tokens()
                .create(TokenSpec.bound("created", "alice", "admin")));
        assertThat(standard.tokens().verify(created.secret())).isPresent();
        assertThat(tokensWithACopyOfTheirSecret()).isEmpty();
    }

    /** As {@link #aSecretSealedJustBeforeAnotherNodeTurnsSecureModeOnIsNotKept}, rotating a token. */
    @Test
    void aRotatedSecretSealedJustBeforeAnotherNodeTurnsSecureModeOnIsNotKept() throws Exception {
        Store standard = open();
        TokenId id = standard.tokens()
                .create(TokenSpec.bound("rotated", "alice", "admin"))
                .token()
                .id();
        CreatedToken rotated = whileAnotherNodeTurnsSecureModeOn(
                        standard, "rotating token", () -> standard.tokens().rotate(id))
                .orElseThrow();
        assertThat(standard.tokens().verify(rotated.secret())).isPresent();
        assertThat(tokensWithACopyOfTheirSecret()).isEmpty();
    }

    /**
     * What the two tests above rely on: a node turning secure mode on, at its start or again
     * later, has committed the mode when it starts erasing the stored copies. (Erasing first, a
     * copy stored between the erasure and the mode would be seen by neither.)
     */
    @Test
    void aNodeTurningSecureModeOnHasRecordedItWhenItErases() {
        Store turning = open(settings -> settings.secureMode(true));
        JdbcSecureMode recorded = new JdbcSecureMode(turning.database());
        List<Boolean> onAtErasure = new CopyOnWriteArrayList<>();
        turning.database().observeCheckouts(doing -> {
            if (doing.startsWith("erasing stored secrets")) {
                onAtErasure.add(recorded.current().isPresent());
            }
        });

        assertThat(turning.secureMode().leave("ops")).isTrue();
        turning.secureMode().enforceAtStart(); // as at its start
        assertThat(turning.secureMode().leave("ops")).isTrue();
        assertThat(turning.secureMode().keep()).as("turned on again").isTrue();
        assertThat(onAtErasure).containsExactly(true, true);
    }

    /**
     * A standard node stored a secret it sealed just before another node turned secure mode on and
     * erased the copies, and stopped before it read the mode again to erase its own (killed, or its
     * connection lost): the node keeping secure mode erases that copy at its next periodic run, and
     * says so in the audit log. (It stayed until secure mode was left.)
     */
    @Test
    void aCopyAStoppedNodeLeftIsErasedByTheNodeKeepingSecureMode() throws Exception {
        Store keeper = open(settings -> settings.secureMode(true));
        assertThat(keeper.secureMode().leave("ops")).isTrue();
        Store standard = open(settings -> settings.nodeId("node-b"));
        standard.tokens().create(TokenSpec.bound("left behind", "alice", "admin"));
        // The turn that came between the standard node's mode read and its insert, as the node
        // that made it wrote it; the standard node never read the mode again.
        assertThat(new JdbcSecureMode(keeper.database()).turnOn(clock.instant(), "node-c"))
                .isTrue();
        assertThat(tokensWithACopyOfTheirSecret()).containsExactly("left behind");

        assertThat(keeper.secureMode().keep()).as("on already").isFalse();

        assertThat(tokensWithACopyOfTheirSecret()).isEmpty();
        assertThat(keeper.auditLog().query(AuditQuery.all().withLimit(100)).events())
                .extracting(AuditEvent::reason)
                .anySatisfy(reason -> assertThat(reason).startsWith("secure mode kept: 1 stored secrets erased"));
    }

    /**
     * Runs {@code storing} on {@code standard}, on another thread, held when it takes a connection
     * for {@code doing} (its mode read and its secret sealed) until a node set to secure mode has
     * started on the same database; returns what {@code storing} returned.
     */
    private <T> T whileAnotherNodeTurnsSecureModeOn(Store standard, String doing, Callable<T> storing)
            throws Exception {
        Thread testThread = Thread.currentThread();
        CountDownLatch sealed = new CountDownLatch(1);
        CountDownLatch secureModeOn = new CountDownLatch(1);
        standard.database().observeCheckouts(checkout -> {
            if (checkout.startsWith(doing) && Thread.currentThread() != testThread) {
                sealed.countDown();
                try {
                    secureModeOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<T> stored = pool.submit(storing);
            assertThat(sealed.await(10, TimeUnit.SECONDS))
                    .as("sealed in standard mode")
                    .isTrue();
            open(settings -> settings.nodeId("node-b").secureMode(true));
            secureModeOn.countDown();
            return stored.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The names of the tokens whose secret the database keeps a copy of, read behind the store's back. */
    private List<String> tokensWithACopyOfTheirSecret() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM tokens WHERE secret_sealed IS NOT NULL")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void digestsAndUserNamesAreUnique() {
        Store store = open();
        JdbcTokenRepository repository =
                new JdbcTokenRepository(Database.open(fixture.config(home).build()));
        CreatedToken first = store.tokens().create(TokenSpec.bound("one", "alice", "admin"));
        TokenDigest digest =
                KeyFile.load(home.resolve("tokengate.key")).digester().digest(first.secret());
        Token copy = new Token(
                new TokenId("tok_0000000000000000"),
                "copy",
                Optional.empty(),
                "admin",
                START,
                null,
                "",
                io.tokengate.core.token.IpAllowList.any(),
                Optional.empty(),
                null,
                null,
                null,
                0,
                "tgk_…abcd");
        assertThatThrownBy(() -> repository.insert(copy, digest, null)).isInstanceOf(StoreConflictException.class);

        store.users().add(new NewUser("Alice", "alice@example.com", "Alice A.", UserRole.USER, null));
        assertThatThrownBy(() -> store.users().add(new NewUser("ALICE", null, null, UserRole.USER, null)))
                .isInstanceOf(StoreConflictException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> store.users().add(new NewUser("bob", "ALICE@example.com", null, UserRole.USER, null)))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    void listsWithFiltersAndPages() {
        Store store = open();
        List<TokenId> aliceTokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            aliceTokens.add(store.tokens()
                    .create(TokenSpec.bound("alice 100%_job " + i, "alice", "admin"))
                    .token()
                    .id());
        }
        clock.advance(Duration.ofSeconds(1));
        TokenId bobs = store.tokens()
                .create(TokenSpec.bound("Bob's nightly", "Bob", "admin").withExpiry(Expiry.inDays(1)))
                .token()
                .id();
        clock.advance(Duration.ofSeconds(1));
        TokenId unbound = store.tokens()
                .create(TokenSpec.unbound("shared", "admin"))
                .token()
                .id();
        store.tokens().revoke(aliceTokens.get(0));

        TokenPage all = store.tokens().list(TokenQuery.all());
        assertThat(all.total()).isEqualTo(7);
        assertThat(all.tokens().get(0).id()).as("newest first").isEqualTo(unbound);

        assertThat(ids(store.tokens().list(TokenQuery.all().withBoundUser("ALICE"))))
                .containsExactlyInAnyOrderElementsOf(aliceTokens);
        assertThat(ids(store.tokens().list(TokenQuery.all().withStatus(TokenStatus.REVOKED))))
                .containsExactly(aliceTokens.get(0));
        assertThat(ids(store.tokens().list(TokenQuery.all().withNameContaining("100%_"))))
                .hasSize(5);
        assertThat(ids(store.tokens().list(TokenQuery.all().withNameContaining("e%_j"))))
                .isEmpty();
        assertThat(ids(store.tokens().list(TokenQuery.all().withNameContaining("NIGHT"))))
                .containsExactly(bobs);

        clock.advance(Duration.ofDays(2));
        assertThat(ids(store.tokens().list(TokenQuery.all().withStatus(TokenStatus.EXPIRED))))
                .containsExactly(bobs);
        assertThat(store.tokens()
                        .list(TokenQuery.all().withStatus(TokenStatus.ACTIVE))
                        .total())
                .isEqualTo(5);

        TokenPage page1 = store.tokens().list(TokenQuery.all().page(0, 3));
        TokenPage page2 = store.tokens().list(TokenQuery.all().page(3, 3));
        TokenPage page3 = store.tokens().list(TokenQuery.all().page(6, 3));
        assertThat(page1.tokens()).hasSize(3);
        assertThat(page1.hasMore()).isTrue();
        assertThat(page3.tokens()).hasSize(1);
        assertThat(page3.hasMore()).isFalse();
        Set<TokenId> seen = new HashSet<>(ids(page1));
        seen.addAll(ids(page2));
        seen.addAll(ids(page3));
        assertThat(seen).hasSize(7);
    }

    /**
     * The two questions of token hygiene: which tokens are about to stop working, and which has
     * nobody used for a while (a token never used counts from its creation).
     */
    @Test
    void listsTokensAboutToExpireAndTokensNobodyUses() {
        Store store = open();
        TokenId inTwoDays = store.tokens()
                .create(TokenSpec.bound("nightly", "alice", "admin").withExpiry(Expiry.inDays(2)))
                .token()
                .id();
        TokenId inThirtyDays = store.tokens()
                .create(TokenSpec.bound("release", "alice", "admin").withExpiry(Expiry.inDays(30)))
                .token()
                .id();
        TokenId never = store.tokens()
                .create(TokenSpec.bound("backup", "bob", "admin"))
                .token()
                .id();
        TokenId expired = store.tokens()
                .create(TokenSpec.bound("old", "bob", "admin").withExpiry(Expiry.inDays(1)))
                .token()
                .id();
        clock.advance(Duration.ofDays(1).plusHours(1));
        Instant weekAhead = clock.instant().plus(Duration.ofDays(7));

        assertThat(ids(store.tokens().list(TokenQuery.all().withExpiryBefore(weekAhead))))
                .containsExactlyInAnyOrder(inTwoDays, expired);
        assertThat(ids(store.tokens()
                        .list(TokenQuery.all().withExpiryBefore(weekAhead).withStatus(TokenStatus.ACTIVE))))
                .as("about to stop working")
                .containsExactly(inTwoDays);
        assertThat(store.tokens()
                        .list(TokenQuery.all().withExpiryBefore(weekAhead).withStatus(TokenStatus.ACTIVE))
                        .total())
                .isEqualTo(1);

        store.tokens().recordUse(inThirtyDays, "10.0.0.1");
        store.flushUsage();
        clock.advance(Duration.ofDays(10));
        store.tokens().recordUse(never, "10.0.0.2");
        store.flushUsage();
        store.tokens().create(TokenSpec.bound("made today", "carol", "admin"));
        clock.advance(Duration.ofHours(1));
        Instant fiveDaysAgo = clock.instant().minus(Duration.ofDays(5));
        assertThat(ids(store.tokens()
                        .list(TokenQuery.all().withNoUseSince(fiveDaysAgo).withStatus(TokenStatus.ACTIVE))))
                .as("used ten days ago; never used since creation eleven days ago; not the one used an hour"
                        + " ago, nor the one made an hour ago")
                .containsExactly(inThirtyDays);
        assertThat(ids(store.tokens().list(TokenQuery.all().withNoUseSince(fiveDaysAgo))))
                .containsExactlyInAnyOrder(inThirtyDays, inTwoDays, expired);
        TokenPage both = store.tokens()
                .list(TokenQuery.all()
                        .withNoUseSince(fiveDaysAgo)
                        .withExpiryBefore(weekAhead)
                        .page(0, 1));
        assertThat(both.total()).as("the filters combine, in the count too").isEqualTo(2);
        assertThat(both.hasMore()).isTrue();
    }

    /**
     * A listing paged by cursor sees every token that stays, once, in order, however tokens are
     * created and deleted between its pages; paged by offset, the same changes would repeat one token
     * and skip another.
     */
    @Test
    void pagesAfterACursorNeitherRepeatNorSkipWhenTokensComeAndGo() {
        Store store = open();
        List<TokenId> created = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i % 3 == 0) {
                clock.advance(Duration.ofSeconds(1)); // the others share a creation time with a neighbour
            }
            created.add(store.tokens()
                    .create(TokenSpec.unbound("paged " + i, "admin"))
                    .token()
                    .id());
        }
        List<TokenId> newestFirst = ids(store.tokens().list(TokenQuery.all()));

        TokenPage first = store.tokens().list(TokenQuery.all().page(0, 3));
        clock.advance(Duration.ofSeconds(1));
        store.tokens().create(TokenSpec.unbound("created meanwhile", "admin"));
        store.tokens().delete(newestFirst.get(4)); // not seen yet
        TokenPage second =
                store.tokens().list(TokenQuery.all().pageAfter(first.next().orElseThrow(), 3));
        store.tokens().delete(newestFirst.get(6)); // the cursor's own token, already seen
        TokenPage third =
                store.tokens().list(TokenQuery.all().pageAfter(second.next().orElseThrow(), 3));

        List<TokenId> seen = new ArrayList<>(ids(first));
        seen.addAll(ids(second));
        seen.addAll(ids(third));
        List<TokenId> expected = new ArrayList<>(newestFirst);
        expected.remove(4);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(created).containsExactlyInAnyOrderElementsOf(newestFirst);
        assertThat(second.offset())
                .as("the new token and the first page come before it")
                .isEqualTo(4);
        assertThat(third.offset()).isEqualTo(6);
        assertThat(third.hasMore()).isFalse();
        assertThat(third.next()).isEmpty();
        assertThat(second.hasMore()).isTrue();
    }

    private static List<TokenId> ids(TokenPage page) {
        return page.tokens().stream().map(Token::id).toList();
    }

    @Test
    void recordsUsage() {
        Store store = open();
        CreatedToken created = store.tokens().create(TokenSpec.bound("used", "alice", "alice"));
        TokenId id = created.token().id();
        store.tokens().recordUse(id, "10.0.0.1");
        clock.advance(Duration.ofSeconds(5));
        store.tokens().recordUse(id, "10.0.0.2");
        store.flushUsage();
        clock.advance(Duration.ofSeconds(5));
        store.tokens().recordUse(id, "2001:db8::7");
        store.flushUsage();
        Token used = store.tokens().show(id).orElseThrow();
        assertThat(used.useCount()).isEqualTo(3);
        assertThat(used.lastUsedIp()).isEqualTo("2001:db8::7");
        assertThat(used.lastUsedAt()).isEqualTo(clock.instant());
    }

    // ---- audit ----

    static AuditEvent event(Instant time, int n) {
        return AuditEvent.builder(AuditKind.REQUEST, time)
                .requestId("req-" + n)
                .node("node-1")
                .token(new TokenId(n % 2 == 0 ? "tok_AAAAAAAAAAAAAAAA" : "tok_BBBBBBBBBBBBBBBB"), "token " + n % 2)
                .basicUser(n % 3 == 0 ? "Alice" : "bob")
                .effectiveUser(n % 5 == 0 ? "carol" : n % 3 == 0 ? "Alice" : "bob")
                .clientIp("10.0.0." + (n % 250))
                .request("GET", "/rest/api/2/issue/JRA-" + n, "expand=names")
                .decision(n % 4 == 0 ? AuditDecision.DENY : AuditDecision.ALLOW, n % 4 == 0 ? "no rule matched" : null)
                .matchedRule(n % 4 == 0 ? null : ".*/rest/api/2/issue/JRA.*")
                .status(n % 4 == 0 ? 403 : 200)
                .upstreamMillis(n % 4 == 0 ? null : (long) n)
                .bytes(n, 2L * n)
                .build();
    }

    static void write(Store store, List<AuditEvent> events) throws InterruptedException {
        for (AuditEvent e : events) {
            store.audit().record(e);
        }
        assertThat(store.audit().flush(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void auditRoundTripsEveryField() throws Exception {
        Store store = open();
        AuditEvent event = event(START, 4).toBuilder().actor("admin").build();
        AuditEvent admin = AuditEvent.builder(AuditKind.TOKEN_REVOKE, START.plusSeconds(1))
                .actor("admin")
                .token(new TokenId("tok_CCCCCCCCCCCCCCCC"), "old")
                .decision(AuditDecision.ALLOW, null)
                .build();
        write(store, List.of(event, admin));
        AuditPage page = store.auditLog().query(AuditQuery.all());
        assertThat(page.events()).containsExactly(admin, event);
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void auditKeepsWhatClientsSentVerbatim() throws Exception {
        // Paths, queries and names are the client's: whatever they hold is data, never syntax of
        // the way the records travel (PostgreSQL takes them as CSV rows), and empty is not absent.
        Store store = open();
        List<String> texts = List.of(
                "a,b\"c\"\"d",
                "line\nbreak\r\nand\rreturn",
                "\\.",
                "x\n\\.\ny",
                "back\\slash\\N",
                "\ttab, 'quote' and \"\"",
                "",
                "\"",
                "ünïcödé 😀 \u2028",
                "NULL",
                "nul\0character");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            events.add(AuditEvent.builder(AuditKind.REQUEST, START.plusMillis(i))
                    .requestId(text)
                    .node(text)
                    .basicUser(text)
                    .effectiveUser(text)
                    .actor(text)
                    .clientIp(text)
                    .request(text, text, text)
                    .decision(AuditDecision.DENY, text)
                    .matchedRule(text)
                    .build());
        }
        AuditEvent absent =
                AuditEvent.builder(AuditKind.REQUEST, START.plusSeconds(1)).build();
        events.add(absent);
        write(store, events);

        List<AuditEvent> read =
                store.auditLog().query(AuditQuery.all().withLimit(100)).events();
        List<AuditEvent> expected = new ArrayList<>(events);
        Collections.reverse(expected);
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(read.get(0).path()).isNull();
        assertThat(read.get(2).path()).isEqualTo("NULL");
        assertThat(read.get(read.size() - 1).path()).isEqualTo("a,b\"c\"\"d");
        assertThat(read.get(1).path()).isEqualTo("nul\uFFFDcharacter");
    }

    @Test
    void auditKeepsTheLongestTargetTheGatewayForwardsWhole() throws Exception {
        // A client could otherwise pad a query and hide the parameters after the padding.
        Store store = open();
        String path = "/rest/api/2/echo/" + "p".repeat(AuditEvent.PATH - 18) + "é";
        String query = "pad=" + "A".repeat(AuditEvent.QUERY - 25) + "&jql=project%3DSECRET";
        write(
                store,
                List.of(AuditEvent.builder(AuditKind.REQUEST, START)
                        .request("GET", path, query)
                        .decision(AuditDecision.ALLOW, "allowed")
                        .build()));

        AuditEvent read =
                store.auditLog().query(AuditQuery.all().withLimit(1)).events().get(0);
        assertThat(read.path()).hasSize(AuditEvent.PATH).isEqualTo(path);
        assertThat(read.query()).hasSize(AuditEvent.QUERY).endsWith("&jql=project%3DSECRET");
    }

    @Test
    void auditBatchesOfEverySizeKeepEveryRecordAndField() {
        Store store = open();
        JdbcAuditLog log = new JdbcAuditLog(store.database());
        List<AuditEvent> all = new ArrayList<>();
        int n = 0;
        // Around the 50 rows of one multi-row INSERT: below, at, above, and several plus a rest.
        for (int size : List.of(1, 49, 50, 51, 100, 137)) {
            List<AuditEvent> batch = new ArrayList<>();
            for (int i = 0; i < size; i++, n++) {
                batch.add(event(START.plusMillis(n), n));
            }
            log.insert(batch);
            all.addAll(batch);
        }
        List<AuditEvent> read =
                store.auditLog().query(AuditQuery.all().withLimit(1000)).events();
        Collections.reverse(all); // newest first
        assertThat(read).hasSize(all.size()).containsExactlyElementsOf(all);
    }

    @Test
    void aThreadInterruptedWhileWritingLeavesTheStoreUsable() {
        // An interrupted thread closes any NIO channel it writes to; for the embedded database
        // that was its file, and every later call failed until a restart.
        Store store = open();
        Thread.currentThread().interrupt();
        try {
            store.tokens().create(TokenSpec.bound("interrupted", "alice", "admin"));
        } catch (RuntimeException refused) {
            // Either outcome is fine for the interrupted call itself.
        } finally {
            Thread.interrupted();
        }

        CreatedToken after = store.tokens().create(TokenSpec.bound("after", "alice", "admin"));
        assertThat(store.tokens().verify(after.secret())).isPresent();
        assertThat(store.tokens().show(after.token().id())).isPresent();
    }

    @Test
    void closingLetsARunningUsageFlushFinishAndKeepsItsCounts() throws Exception {
        // An interrupted H2 file write closes the database file: a close that interrupted the
        // scheduled flush lost its counts, and the audit records flushed after it (found by
        // TokenVerifyBenchmark's loss check).
        Store store = open();
        CreatedToken created = store.tokens().create(TokenSpec.bound("flushed", "alice", "admin"));
        Thread testThread = Thread.currentThread();
        CountDownLatch flushStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        store.database().observeCheckouts(doing -> {
            if (doing.equals("recording token usage") && Thread.currentThread() != testThread) {
                flushStarted.countDown();
                awaitRecordingInterrupts(release, interrupted);
            }
        });
        for (int i = 0; i < 10; i++) {
            store.tokens().recordUse(created.token().id(), "10.0.0.1");
        }
        assertThat(flushStarted.await(10, TimeUnit.SECONDS))
                .as("the scheduled usage flush started")
                .isTrue();

        Thread closer = new Thread(store::close, "closer");
        closer.start();
        closer.join(300); // close() is now waiting for the flush, or has interrupted it
        release.countDown();
        closer.join(15_000);
        opened.remove(store);

        assertThat(closer.isAlive()).as("close finished").isFalse();
        assertThat(interrupted).as("the running flush was interrupted by close").isFalse();
        Token used = open().tokens().show(created.token().id()).orElseThrow();
        assertThat(used.useCount()).isEqualTo(10);
    }

    private static void awaitRecordingInterrupts(CountDownLatch latch, AtomicBoolean interrupted) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    @Test
    void aCachedTokenIsVerifiedAndItsUseCountedWithoutDatabaseWork() {
        Store creator = open();
        CreatedToken created = creator.tokens().create(TokenSpec.bound("cached", "alice", "admin"));
        creator.close();
        opened.remove(creator);
        // Another node: on PostgreSQL the creation's notification, which empties caches, went out
        // before it started listening.
        Store store = open();
        assertThat(store.tokens().verify(created.secret())).isPresent(); // the miss that fills the cache
        Thread requestThread = Thread.currentThread();
        List<String> onRequestThread = new CopyOnWriteArrayList<>();
        List<String> usageWrites = new CopyOnWriteArrayList<>();
        store.database().observeCheckouts(doing -> {
            if (Thread.currentThread() == requestThread) {
                onRequestThread.add(doing);
            }
            if (doing.equals("recording token usage")) {
                usageWrites.add(doing);
            }
        });

        for (int i = 0; i < 1000; i++) {
            assertThat(store.tokens().verify(created.secret())).isPresent();
            store.tokens().recordUse(created.token().id(), "10.0.0." + i % 4);
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(onRequestThread)
                .as("database work while verifying a cached token and counting its use")
                .isEmpty();

        store.flushUsage();
        assertThat(usageWrites)
                .as("1000 uses are written in batches (the scheduled flush may have taken some first)")
                .hasSizeBetween(1, 2);
        Token used = store.tokens().show(created.token().id()).orElseThrow();
        assertThat(used.useCount()).isEqualTo(1000);
        assertThat(used.lastUsedIp()).isEqualTo("10.0.0.3");
        assertThat(used.lastUsedAt()).isEqualTo(START.plusMillis(999));
    }

    @Test
    void everyFilterPagesNewestFirstWithoutGapsOrRepeats() throws Exception {
        Store store = open();
        List<AuditEvent> events = writePairsOfEvents(store);
        TokenId a = new TokenId("tok_AAAAAAAAAAAAAAAA");
        Map<AuditQuery, Predicate<AuditEvent>> filters = new LinkedHashMap<>();
        filters.put(AuditQuery.all().withTokenId(a), e -> e.tokenId().equals(a));
        filters.put(AuditQuery.all().withUser("alice"), e -> isUser(e, "alice"));
        filters.put(AuditQuery.all().withUser("carol"), e -> isUser(e, "carol"));
        filters.put(
                AuditQuery.all().withTokenId(a).withUser("Alice"),
                e -> e.tokenId().equals(a) && isUser(e, "alice"));
        filters.put(
                AuditQuery.all().withUser("bob").withDecision(AuditDecision.DENY),
                e -> isUser(e, "bob") && e.decision() == AuditDecision.DENY);
        filters.put(
                AuditQuery.all().withUser("alice").between(START.plusMillis(20), START.plusMillis(90)),
                e -> isUser(e, "alice")
                        && !e.time().isBefore(START.plusMillis(20))
                        && e.time().isBefore(START.plusMillis(90)));
        bindTokens("carol", List.of(a, new TokenId("tok_CCCCCCCCCCCCCCCC")));
        filters.put(
                AuditQuery.all().withUserOrTheirTokens("carol"),
                e -> isUser(e, "carol") || e.tokenId().equals(a));
        filters.put(
                AuditQuery.all().withUserOrTheirTokens("Carol").withDecision(AuditDecision.DENY),
                e -> (isUser(e, "carol") || e.tokenId().equals(a)) && e.decision() == AuditDecision.DENY);
        for (Map.Entry<AuditQuery, Predicate<AuditEvent>> filter : filters.entrySet()) {
            List<AuditEvent> expected =
                    new ArrayList<>(events.stream().filter(filter.getValue()).toList());
            Collections.reverse(expected); // newest first, and the later of a pair first
            List<AuditEvent> read = readAll(store, filter.getKey().withLimit(7));
            assertThat(read).as(filter.getKey().toString()).isNotEmpty().containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aUsersViewWithTheirTokensPagesThroughManySpansWithoutGapsOrRepeats() throws Exception {
        Store store = open();
        TokenId a = new TokenId("tok_AAAAAAAAAAAAAAAA");
        TokenId b = new TokenId("tok_BBBBBBBBBBBBBBBB");
        // 80 batches two seconds apart, over three minutes: more spans of each subject than a
        // read takes, and spans of carol and of a token ending at one record.
        List<AuditEvent> events = new ArrayList<>();
        for (int batch = 0; batch < 80; batch++) {
            List<AuditEvent> written = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                written.add(event(START.plusSeconds(2L * batch).plusMillis(i), 3 * batch + i));
            }
            write(store, written);
            events.addAll(written);
        }
        Collections.reverse(events);
        // The view follows the tokens bound to carol as they are bound.
        bindTokens("carol", List.of(new TokenId("tok_CCCCCCCCCCCCCCCC")));
        assertPagesWithoutGapsOrRepeats(
                store, AuditQuery.all().withUserOrTheirTokens("carol"), events, e -> isUser(e, "carol"));
        bindTokens("carol", List.of(a));
        assertPagesWithoutGapsOrRepeats(
                store,
                AuditQuery.all().withUserOrTheirTokens("carol"),
                events,
                e -> isUser(e, "carol") || e.tokenId().equals(a));
        assertPagesWithoutGapsOrRepeats(
                store,
                AuditQuery.all().withUserOrTheirTokens("carol").between(START.plusSeconds(30), START.plusSeconds(100)),
                events,
                e -> (isUser(e, "carol") || e.tokenId().equals(a))
                        && !e.time().isBefore(START.plusSeconds(30))
                        && e.time().isBefore(START.plusSeconds(100)));
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        store.auditLog().export(AuditQuery.all().withUserOrTheirTokens("carol"), AuditExportFormat.JSON_LINES, export);
        assertThat(export.toString(StandardCharsets.UTF_8).lines()).hasSize((int) events.stream()
                .filter(e -> isUser(e, "carol") || e.tokenId().equals(a))
                .count());
        bindTokens("carol", List.of(b));
        assertPagesWithoutGapsOrRepeats(store, AuditQuery.all().withUserOrTheirTokens("carol"), events, e -> true);
    }

    @Test
    void aUsersViewHoldsTheRecordsOfTensOfThousandsOfTokens() throws Exception {
        // A CI job that makes a token per run owns thousands. The view read them as one UNION
        // branch and one parameter each: H2 overflowed its stack parsing the statement, PostgreSQL's
        // driver refuses more than 65 535 parameters, and the user's audit page failed.
        Store store = open();
        List<TokenId> owned = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            owned.add(new TokenId(String.format("tok_R%015d", i)));
        }
        bindTokens("carol", owned);
        TokenId bobs = new TokenId("tok_BBBBBBBBBBBBBBBB");
        bindTokens("bob", List.of(bobs));
        // 80 batches two seconds apart, more spans than a read takes: carol with one of her
        // tokens, mallory with another of them, bob with his own.
        List<AuditEvent> events = new ArrayList<>();
        for (int batch = 0; batch < 80; batch++) {
            Instant time = START.plusSeconds(2L * batch);
            List<AuditEvent> written = List.of(
                    request(time, owned.get(850 * batch), "carol", batch),
                    request(time.plusMillis(1), owned.get(69_999 - batch), "mallory", batch),
                    request(time.plusMillis(2), bobs, "bob", batch));
            write(store, written);
            events.addAll(written);
        }
        Collections.reverse(events);
        Predicate<AuditEvent> carols = e -> !e.basicUser().equals("bob");
        assertPagesWithoutGapsOrRepeats(store, AuditQuery.all().withUserOrTheirTokens("carol"), events, carols);
        assertPagesWithoutGapsOrRepeats(
                store,
                AuditQuery.all().withUserOrTheirTokens("carol").between(START.plusSeconds(30), START.plusSeconds(50)),
                events,
                carols.and(e ->
                        !e.time().isBefore(START.plusSeconds(30)) && e.time().isBefore(START.plusSeconds(50))));
        assertPagesWithoutGapsOrRepeats(
                store,
                AuditQuery.all().withUserOrTheirTokens("carol").withTokenId(owned.get(69_999)),
                events,
                e -> e.tokenId().equals(owned.get(69_999)));
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        store.auditLog().export(AuditQuery.all().withUserOrTheirTokens("carol"), AuditExportFormat.CSV, export);
        assertThat(export.toString(StandardCharsets.UTF_8).lines())
                .as("a header and carol's records")
                .hasSize(1 + (int) events.stream().filter(carols).count());
    }

    /** {@code query} read 1, 7 and 1000 records a page: the records of {@code newestFirst} it matches. */
    private static void assertPagesWithoutGapsOrRepeats(
            Store store, AuditQuery query, List<AuditEvent> newestFirst, Predicate<AuditEvent> matches) {
        List<AuditEvent> expected = newestFirst.stream().filter(matches).toList();
        for (int limit : List.of(1, 7, 1000)) {
            assertThat(readAll(store, query.withLimit(limit)))
                    .as(query + ", " + limit + " a page")
                    .isNotEmpty()
                    .containsExactlyElementsOf(expected);
        }
    }

    /**
     * Binds tokens of these ids to {@code user}, in rows of their own: the audit log's tests name
     * tokens by fixed ids, and a user's own view asks the tokens table which are theirs.
     */
    void bindTokens(String user, List<TokenId> ids) throws SQLException {
        try (Connection c = fixture.connect(home);
                PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (id, name, bound_user, bound_user_key,"
                        + " created_by, created_at, limits_text, allowed_ips, secret_digest, secret_hint)"
                        + " VALUES (?, ?, ?, ?, 'admin', ?, '', '', ?, 'hint')")) {
            c.setAutoCommit(false);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i).value();
                ps.setString(1, id);
                ps.setString(2, "audited " + id);
                ps.setString(3, user);
                ps.setString(4, user.toLowerCase(Locale.ROOT));
                Jdbc.setInstant(ps, 5, START);
                ps.setString(6, (id + "0".repeat(64)).substring(0, 64));
                ps.addBatch();
                if (i % 1000 == 999 || i == ids.size() - 1) {
                    ps.executeBatch();
                }
            }
            c.commit();
        }
    }

    @Test
    void aUsersViewReadsEverySpanThatEndsWithAnotherSubjectsSpan() throws Exception {
        Store store = open();
        TokenId a = new TokenId("tok_AAAAAAAAAAAAAAAA");
        bindTokens("carol", List.of(a));
        // Each batch: bob then carol with token a, so the spans of carol and of a end at one
        // record; one newer span of carol alone puts such a pair across a read of spans.
        List<AuditEvent> events = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            Instant time = START.plusSeconds(batch);
            List<AuditEvent> written =
                    List.of(request(time, a, "bob", batch), request(time.plusMillis(1), a, "carol", batch));
            write(store, written);
            events.addAll(written);
        }
        AuditEvent alone = request(START.plusSeconds(40), new TokenId("tok_BBBBBBBBBBBBBBBB"), "carol", 40);
        write(store, List.of(alone));
        events.add(alone);
        Collections.reverse(events);
        assertThat(store.auditLog()
                        .query(AuditQuery.all().withUserOrTheirTokens("carol").withLimit(1000))
                        .events())
                .containsExactlyElementsOf(events);
    }

    private static AuditEvent request(Instant time, TokenId token, String user, int n) {
        return AuditEvent.builder(AuditKind.REQUEST, time)
                .requestId("req-" + user + "-" + n)
                .node("node-1")
                .token(token, token.value())
                .basicUser(user)
                .effectiveUser(user)
                .request("GET", "/rest/api/2/issue/JRA-" + n, null)
                .decision(AuditDecision.ALLOW, null)
                .status(200)
                .bytes(0, 0)
                .build();
    }

    private static boolean isUser(AuditEvent e, String user) {
        return e.basicUser().equalsIgnoreCase(user) || e.effectiveUser().equalsIgnoreCase(user);
    }

    /** 250 records, two to a time so that the id breaks ties, written and committed. */
    private static List<AuditEvent> writePairsOfEvents(Store store) throws InterruptedException {
        List<AuditEvent> events = new ArrayList<>();
        for (int n = 0; n < 250; n++) {
            events.add(event(START.plusMillis(n / 2), n));
        }
        write(store, events);
        return events;
    }

    /** Every page of {@code query}, followed through its cursors. */
    private static List<AuditEvent> readAll(Store store, AuditQuery query) {
        List<AuditEvent> read = new ArrayList<>();
        AuditPage page = store.auditLog().query(query);
        read.addAll(page.events());
        while (page.nextCursor().isPresent()) {
            page = store.auditLog().query(query.after(page.nextCursor().get()));
            read.addAll(page.events());
        }
        return read;
    }

    @Test
    void auditFiltersAndCursorPaging() throws Exception {
        Store store = open();
        List<AuditEvent> events = writePairsOfEvents(store);

        List<AuditEvent> read = readAll(store, AuditQuery.all().withLimit(100));
        assertThat(read).hasSize(250).doesNotHaveDuplicates();
        assertThat(read).containsExactlyInAnyOrderElementsOf(events);
        for (int i = 1; i < read.size(); i++) {
            assertThat(read.get(i).time()).isBeforeOrEqualTo(read.get(i - 1).time());
        }

        assertThat(store.auditLog()
                        .query(AuditQuery.all()
                                .withTokenId(new TokenId("tok_AAAAAAAAAAAAAAAA"))
                                .withLimit(1000))
                        .events())
                .hasSize(125);
        long aliceOrCarol = events.stream().filter(e -> isUser(e, "alice")).count();
        assertThat(store.auditLog()
                        .query(AuditQuery.all().withUser("ALICE").withLimit(1000))
                        .events())
                .hasSize((int) aliceOrCarol);
        assertThat(store.auditLog()
                        .query(AuditQuery.all().withUser("carol").withLimit(1000))
                        .events())
                .hasSize(50);
        assertThat(store.auditLog()
                        .query(AuditQuery.all().withDecision(AuditDecision.DENY).withLimit(1000))
                        .events())
                .hasSize(63)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(403));
        assertThat(store.auditLog()
                        .query(AuditQuery.all().withKind(AuditKind.LOGIN))
                        .events())
                .isEmpty();
        assertThat(store.auditLog()
                        .query(AuditQuery.all()
                                .between(START.plusMillis(10), START.plusMillis(20))
                                .withLimit(1000))
                        .events())
                .hasSize(20);
        assertThatThrownBy(() -> store.auditLog().query(AuditQuery.all().after("bogus")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid audit cursor");
    }

    @Test
    void aUserNameLongerInLowerCaseIsRecordedAndFound() throws Exception {
        // 'İ' lower-cases to two characters: the comparison key of a name at the 255-character
        // limit is longer than the name. Anyone can send such a name in a Basic header.
        Store store = open();
        String name = "İ".repeat(AuditEvent.NAME);
        AuditEvent refused = AuditEvent.builder(AuditKind.REQUEST, START)
                .basicUser(name)
                .request("GET", "/rest/api/2/myself", null)
                .decision(AuditDecision.DENY, "bad credentials")
                .status(401)
                .bytes(0, 0)
                .build();
        write(store, List.of(refused, event(START.plusMillis(1), 1)));
        assertThat(store.audit().dropped()).isZero();
        assertThat(store.auditLog().query(AuditQuery.all().withUser(name)).events())
                .containsExactly(refused);
    }

    @Test
    void aNameLongerInLowerCaseBindsATokenAndNamesAUser() {
        // The twin of the audit case: 'İ' lower-cases to two characters, so the comparison key of
        // a name at the 255-character limit is longer than the name and than its column.
        Store store = open();
        String name = "İ".repeat(255);
        CreatedToken created = store.tokens().create(TokenSpec.bound("long name", name, "admin"));
        assertThat(store.tokens().list(TokenQuery.all().withBoundUser(name)).tokens())
                .extracting(Token::id)
                .containsExactly(created.token().id());
        User user = store.users().add(new NewUser(name, null, null, UserRole.USER, null));
        assertThat(store.users().find(name)).contains(user);
        AdminSession session = new AdminSession(
                "ab".repeat(32), name, UserRole.USER, "local", START, START, START.plus(Duration.ofHours(1)));
        store.sessions().create(session);
        assertThat(store.sessions().deleteForUser(name)).isEqualTo(1);
    }

    @Test
    void batchesOverlappingInTimeAreListedAsOneLog() throws Exception {
        // Two nodes flush at once: each batch's records fall between the other's.
        Store store = open();
        JdbcAuditLog log = new JdbcAuditLog(store.database());
        List<AuditEvent> even = new ArrayList<>();
        List<AuditEvent> odd = new ArrayList<>();
        List<AuditEvent> newestFirst = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            AuditEvent e = event(START.plusMillis(n), n);
            (n % 2 == 0 ? even : odd).add(e);
            newestFirst.add(0, e);
        }
        log.insert(even);
        log.insert(odd);
        assertThat(readAll(store, AuditQuery.all().withLimit(7))).containsExactlyElementsOf(newestFirst);
        assertThat(readAll(store, AuditQuery.all().withUser("bob").withLimit(7)))
                .containsExactlyElementsOf(
                        newestFirst.stream().filter(e -> isUser(e, "bob")).toList());
    }

    /** Writes records as versions before the batch layout did: identity ids, no spans. */
    private static void writeAsAnOlderVersion(Database db, List<AuditEvent> events) {
        db.transaction("writing records as version 3 did", c -> {
            try (var ps = c.prepareStatement("INSERT INTO audit_events (event_time, request_id, kind, token_id,"
                    + " basic_user, basic_user_key, effective_user, effective_user_key, method, path, decision,"
                    + " status, bytes_in, bytes_out) VALUES (?, ?, 'REQUEST', ?, ?, ?, ?, ?, 'GET', ?, ?, ?, 0, 0)")) {
                for (AuditEvent e : events) {
                    Jdbc.setInstant(ps, 1, e.time());
                    ps.setString(2, e.requestId());
                    ps.setString(3, e.tokenId().value());
                    ps.setString(4, e.basicUser());
                    ps.setString(5, e.basicUser().toLowerCase(java.util.Locale.ROOT));
                    ps.setString(6, e.effectiveUser());
                    ps.setString(7, e.effectiveUser().toLowerCase(java.util.Locale.ROOT));
                    ps.setString(8, e.path());
                    ps.setString(9, e.decision().name());
                    ps.setInt(10, e.status());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Test
    void recordsOfANodeStillOnAnOlderVersionAreListedAfterTwoPasses() throws Exception {
        // Compared by request id: an older version's rows here hold only some of the fields.
        Store store = open();
        JdbcAuditLog log = new JdbcAuditLog(store.database());
        write(store, List.of(event(START, 0)));
        writeAsAnOlderVersion(
                store.database(), List.of(event(START.plusSeconds(1), 1), event(START.plusSeconds(2), 2)));
        assertThat(log.adoptStrays())
                .as("seen, not adopted: an older node may still commit a batch of lower ids")
                .isZero();
        assertThat(requestIds(store, AuditQuery.all())).containsExactly("req-0");

        writeAsAnOlderVersion(store.database(), List.of(event(START.plusSeconds(3), 3)));
        assertThat(log.adoptStrays()).isEqualTo(2);
        assertThat(requestIds(store, AuditQuery.all())).containsExactly("req-2", "req-1", "req-0");
        assertThat(log.adoptStrays()).isEqualTo(1);
        assertThat(log.adoptStrays()).as("nothing left").isZero();

        assertThat(requestIds(store, AuditQuery.all().withLimit(1)))
                .containsExactly("req-3", "req-2", "req-1", "req-0");
        assertThat(requestIds(store, AuditQuery.all().withUser("bob"))).containsExactly("req-2", "req-1");
        assertThat(requestIds(store, AuditQuery.all().withTokenId(new TokenId("tok_AAAAAAAAAAAAAAAA"))))
                .containsExactly("req-2", "req-0");
    }

    private static List<String> requestIds(Store store, AuditQuery query) {
        return readAll(store, query).stream().map(AuditEvent::requestId).toList();
    }

    @Test
    void recordsWrittenBeforeTheBatchLayoutAreListedAfterTheUpgrade() throws Exception {
        // 2500 records of an older version (migration 3): ids from the identity column, not in
        // time order, over several minutes, so that the upgrade's spans overlap in ids.
        List<AuditEvent> old = new ArrayList<>();
        for (int n = 0; n < 2500; n++) {
            old.add(event(START.plusMillis(100L * n), n));
        }
        List<AuditEvent> shuffled = new ArrayList<>(old);
        Collections.shuffle(shuffled, new java.util.Random(7));
        try (Database db = Database.open(fixture.config(home).build())) {
            db.migrateTo("3");
            writeAsAnOlderVersion(db, shuffled);
        }
        Store store = open();
        AuditEvent fresh = event(START.plusSeconds(1000), 1);
        write(store, List.of(fresh));

        Map<AuditQuery, Predicate<AuditEvent>> filters = new LinkedHashMap<>();
        filters.put(AuditQuery.all(), e -> true);
        filters.put(
                AuditQuery.all().withTokenId(new TokenId("tok_AAAAAAAAAAAAAAAA")),
                e -> e.tokenId().value().equals("tok_AAAAAAAAAAAAAAAA"));
        filters.put(AuditQuery.all().withUser("CAROL"), e -> isUser(e, "carol"));
        filters.put(
                AuditQuery.all().withUser("alice").between(START.plusSeconds(30), START.plusSeconds(150)),
                e -> isUser(e, "alice")
                        && !e.time().isBefore(START.plusSeconds(30))
                        && e.time().isBefore(START.plusSeconds(150)));
        for (Map.Entry<AuditQuery, Predicate<AuditEvent>> filter : filters.entrySet()) {
            List<String> expected = new ArrayList<>();
            for (AuditEvent e : old) {
                if (filter.getValue().test(e)) {
                    expected.add(0, e.requestId()); // newest first
                }
            }
            if (filter.getKey().from().isEmpty() && filter.getValue().test(fresh)) {
                expected.add(0, fresh.requestId());
            }
            assertThat(readAll(store, filter.getKey().withLimit(333)))
                    .as(filter.getKey().toString())
                    .extracting(AuditEvent::requestId)
                    .containsExactlyElementsOf(expected);
        }
        clock.advance(Duration.ofDays(30).plusSeconds(90));
        Store retaining = open(b -> b.auditRetentionDays(30).nodeId("node-2"));
        assertThat(retaining.runRetention())
                .as("the first 900 records are over 30 days old, to the middle of a minute")
                .isEqualTo(900);
        assertThat(readAll(store, AuditQuery.all().withLimit(1000)))
                .hasSize(2500 - 900 + 1)
                .allSatisfy(e -> assertThat(e.time()).isAfterOrEqualTo(START.plusSeconds(90)));
    }

    @Test
    void auditCursorIsStableWhileRecordsArrive() throws Exception {
        Store store = open();
        List<AuditEvent> first = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            first.add(event(START.plusSeconds(n), n));
        }
        write(store, first);
        AuditPage page1 = store.auditLog().query(AuditQuery.all().withLimit(10));

        List<AuditEvent> later = new ArrayList<>();
        for (int n = 30; n < 60; n++) {
            later.add(event(START.plusSeconds(n), n)); // newer than everything read so far
        }
        write(store, later);
        AuditPage page2 = store.auditLog()
                .query(AuditQuery.all().withLimit(10).after(page1.nextCursor().orElseThrow()));
        AuditPage page3 = store.auditLog()
                .query(AuditQuery.all().withLimit(10).after(page2.nextCursor().orElseThrow()));
        List<AuditEvent> read = new ArrayList<>(page1.events());
        read.addAll(page2.events());
        read.addAll(page3.events());
        List<AuditEvent> newestFirst = new ArrayList<>(first);
        java.util.Collections.reverse(newestFirst);
        assertThat(read).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void exportsCsvAndJsonLinesStreaming() throws Exception {
        Store store = open();
        AuditEvent nasty = event(START, 1).toBuilder()
                .request("POST", "/rest/api/2/issue", "=cmd|' /C calc'!A0")
                .decision(AuditDecision.DENY, "-2+3, \"quoted\"\nsecond line")
                .basicUser("@evil")
                .status(403)
                .upstreamMillis(null)
                .build();
        List<AuditEvent> events = new ArrayList<>();
        events.add(nasty);
        for (int n = 0; n < 2499; n++) {
            events.add(event(START.plusMillis(n + 1), n));
        }
        write(store, events);

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        store.auditLog().export(AuditQuery.all(), AuditExportFormat.CSV, csv);
        String text = csv.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("time,requestId,node,kind,tokenId,");
        String lastLine = text.substring(text.lastIndexOf("\r\n", text.length() - 3) + 2);
        assertThat(lastLine)
                .contains(",'@evil,")
                .contains(",'=cmd|' /C calc'!A0,")
                .contains(",\"'-2+3, \"\"quoted\"\"\nsecond line\",");
        assertThat(text.split("\r\n")).hasSize(2500 + 1);

        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        store.auditLog().export(AuditQuery.all().withDecision(AuditDecision.DENY), AuditExportFormat.JSON_LINES, jsonl);
        String[] lines = jsonl.toString(StandardCharsets.UTF_8).split("\n");
        ObjectMapper json = new ObjectMapper();
        long denied =
                events.stream().filter(e -> e.decision() == AuditDecision.DENY).count();
        assertThat(lines).hasSize((int) denied);
        JsonNode last = json.readTree(lines[lines.length - 1]);
        assertThat(last.get("query").asText()).isEqualTo("=cmd|' /C calc'!A0");
        assertThat(last.get("reason").asText()).isEqualTo("-2+3, \"quoted\"\nsecond line");
        assertThat(last.get("status").asInt()).isEqualTo(403);
        assertThat(last.has("upstreamMillis")).isFalse();
    }

    @Test
    void retentionDeletesOldRecords() throws Exception {
        Store store = open(b -> b.auditRetentionDays(30));
        List<AuditEvent> events = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            events.add(event(START.minus(Duration.ofDays(n)), n));
        }
        write(store, events);
        assertThat(store.runRetention()).isEqualTo(9); // days 31..39 are older than 30 days
        assertThat(store.auditLog().query(AuditQuery.all()).events()).hasSize(31);

        Store keepForever = open(b -> b.auditRetentionDays(0).nodeId("node-2"));
        assertThat(keepForever.runRetention()).isZero();
    }

    // ---- users ----

    @Test
    void usersCrud() {
        Store store = open();
        User alice = store.users()
                .add(new NewUser(
                        "Alice",
                        "Alice@Example.com",
                        "Alice A.",
                        UserRole.ADMIN,
                        "$kdf$1",
                        List.of("ops", "CI", "Ops")));
        assertThat(alice.groups())
                .as("each once without regard to case, sorted")
                .containsExactly("CI", "ops");
        store.users().add(new NewUser("bob", null, null, UserRole.USER, null));
        assertThat(store.users().find("alice")).contains(alice);
        assertThat(store.users().find("alice@example.COM")).contains(alice);
        assertThat(store.users().list()).extracting(User::name).containsExactly("Alice", "bob");
        assertThat(store.users().list()).extracting(User::groups).containsExactly(List.of("CI", "ops"), List.of());

        assertThat(store.users().setPasswordHash("ALICE", "$kdf$2")).isTrue();
        assertThat(store.users().setPasswordHash("nobody", "$kdf$2")).isFalse();
        assertThat(store.users().find("alice").orElseThrow())
                .as("a new password changes nothing else")
                .satisfies(u -> {
                    assertThat(u.passwordHash()).isEqualTo("$kdf$2");
                    assertThat(u.role()).isEqualTo(UserRole.ADMIN);
                    assertThat(u.email()).isEqualTo("Alice@Example.com");
                    assertThat(u.groups()).containsExactly("CI", "ops");
                });
        assertThatThrownBy(() -> store.users().edit("alice", Optional.of(UserRole.USER), Optional.empty()))
                .as("alice is the only admin")
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.users().edit("BOB", Optional.of(UserRole.ADMIN), Optional.of(List.of("runas", "ci"))))
                .isTrue();
        assertThat(store.users().edit("alice", Optional.empty(), Optional.of(List.of())))
                .isTrue();
        assertThat(store.users().find("alice").orElseThrow().role())
                .as("a groups-only edit keeps the role")
                .isEqualTo(UserRole.ADMIN);
        assertThat(store.users().edit("carol", Optional.of(UserRole.ADMIN), Optional.empty()))
                .isFalse();
        assertThat(store.users().find("bob").orElseThrow().groups()).containsExactly("ci", "runas");
        assertThat(store.users().find("bob").orElseThrow().role()).isEqualTo(UserRole.ADMIN);
        assertThat(store.users().edit("alice", Optional.of(UserRole.USER), Optional.empty()))
                .as("bob is an admin now")
                .isTrue();
        assertThatThrownBy(() -> store.users().edit("bob", Optional.of(UserRole.USER), Optional.empty()))
                .as("bob is the only admin now")
                .isInstanceOf(StoreConflictException.class)
                .hasMessage("bob is the last admin: make another user an admin before you make them a user.");
        assertThat(store.users().find("bob").orElseThrow().role()).isEqualTo(UserRole.ADMIN);
        store.users().add(new NewUser("carol", null, null, UserRole.ADMIN, null));
        assertThat(store.users().edit("bob", Optional.of(UserRole.USER), Optional.empty()))
                .isTrue();
        assertThat(store.users().find("bob").orElseThrow().groups())
                .as("a role-only edit keeps the groups")
                .containsExactly("ci", "runas");
        assertThat(store.users().find("alice").orElseThrow().groups()).isEmpty();
        assertThat(store.users().setUpstreamCredential("alice", new byte[] {1, 2, 3}))
                .isTrue();
        User reread = store.users().find("Alice").orElseThrow();
        assertThat(reread.email()).isEqualTo("Alice@Example.com");
        assertThat(reread.displayName()).isEqualTo("Alice A.");
        assertThat(reread.role()).isEqualTo(UserRole.USER);
        assertThat(reread.passwordHash()).isEqualTo("$kdf$2");
        assertThat(reread.upstreamCredential()).containsExactly(1, 2, 3);
        assertThat(reread.toString()).doesNotContain("kdf");

        assertThat(store.users().remove("ALICE")).isTrue();
        assertThat(store.users().remove("alice")).isFalse();
        assertThat(store.users().find("alice")).isEmpty();
        assertThat(store.users().remove("bob"))
                .as("a user in groups is removed with them")
                .isTrue();
    }

    @Test
    void aNameIsNeverAnotherUsersEmailNorTheReverse() {
        Store store = open();
        store.users().add(new NewUser("alice", "Alice@Example.com", null, UserRole.USER, null));
        assertThatThrownBy(() -> store.users().add(new NewUser("ALICE@example.com", null, null, UserRole.ADMIN, null)))
                .isInstanceOf(StoreConflictException.class)
                .hasMessageContaining("already exists");
        store.users().add(new NewUser("dave@example.com", null, null, UserRole.USER, null));
        assertThatThrownBy(() -> store.users().add(new NewUser("carol", "Dave@Example.com", null, UserRole.USER, null)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.users().list()).extracting(User::name).containsExactly("alice", "dave@example.com");
        assertThat(store.users()
                        .add(new NewUser("bob", "bob@example.com", null, UserRole.USER, null))
                        .name())
                .isEqualTo("bob");
    }

    @Test
    void theLastAdminIsNotRemoved() {
        Store store = open();
        store.users().add(new NewUser("root", null, null, UserRole.ADMIN, null));
        store.users().add(new NewUser("dana", null, null, UserRole.USER, null));
        assertThatThrownBy(() -> store.users().remove("ROOT"))
                .isInstanceOf(StoreConflictException.class)
                .hasMessage("ROOT is the last admin: make another user an admin before you remove them.");
        assertThat(store.users().find("root")).isPresent();
        assertThat(store.users().remove("dana")).as("a user goes as before").isTrue();
        assertThat(store.users().remove("nobody")).isFalse();
    }

    /**
     * Two admins removing each other at once, on two nodes: the second removal waits for the
     * first and then finds the last admin. The first is played here by a transaction that locks
     * the admins as {@link JdbcUserStore#remove} does, then removes one of them a moment later.
     */
    @Test
    void twoRemovalsAtOnceLeaveAnAdmin() throws Exception {
        Store store = open();
        store.users().add(new NewUser("ann", null, null, UserRole.ADMIN, null));
        store.users().add(new NewUser("ben", null, null, UserRole.ADMIN, null));
        CountDownLatch locked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = pool.submit(() -> store.database().transaction("removing ann", c -> {
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT name_key FROM users WHERE role = 'ADMIN' FOR UPDATE")
                            .close();
                    locked.countDown();
                    sleepQuietly(300); // the second removal starts now, and must wait
                    return st.executeUpdate("DELETE FROM users WHERE name_key = 'ann'");
                }
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> second = pool.submit(() -> store.users().remove("ben"));
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreConflictException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.users().list()).extracting(User::name).containsExactly("ben");
    }

    @Test
    void sessionsAreFoundByDigestTouchedAndExpired() {
        Store store = open();
        String digest = "ab".repeat(32);
        AdminSession session = new AdminSession(
                digest, "Alice", UserRole.ADMIN, "local", START, START, START.plus(Duration.ofHours(12)));
        store.sessions().create(session);
        assertThat(store.sessions().find(digest)).contains(session);
        assertThat(store.sessions().find("cd".repeat(32))).isEmpty();

        Instant later = START.plus(Duration.ofMinutes(5));
        assertThat(store.sessions().touch(digest, later)).isTrue();
        assertThat(store.sessions().find(digest).orElseThrow().lastSeenAt()).isEqualTo(later);

        String other = "ef".repeat(32);
        store.sessions().create(new AdminSession(other, "bob", UserRole.USER, "jira", START, START, later));
        assertThat(store.sessions().deleteExpired(later, START.minusSeconds(1)))
                .as("bob's session reached its absolute end")
                .isEqualTo(1);
        assertThat(store.sessions().find(other)).isEmpty();
        assertThat(store.sessions().deleteExpired(later, later.plusSeconds(1)))
                .as("alice's session is idle since before the cutoff")
                .isEqualTo(1);

        store.sessions().create(session);
        assertThat(store.sessions().deleteForUser("ALICE")).isEqualTo(1);
        assertThat(store.sessions().delete(digest)).isFalse();
    }

    @Test
    void aNewPasswordEndsEveryOtherSessionOfItsUserOnly() {
        Store store = open();
        Instant end = START.plus(Duration.ofHours(12));
        String kept = "01".repeat(32);
        store.sessions().create(new AdminSession(kept, "Carol", UserRole.USER, "local", START, START, end));
        store.sessions().create(new AdminSession("02".repeat(32), "carol", UserRole.USER, "local", START, START, end));
        store.sessions().create(new AdminSession("03".repeat(32), "carol", UserRole.USER, "local", START, START, end));
        String others = "04".repeat(32);
        store.sessions().create(new AdminSession(others, "dan", UserRole.USER, "local", START, START, end));

        assertThat(store.sessions().deleteForUserExcept("CAROL", kept)).isEqualTo(2);
        assertThat(store.sessions().find(kept)).isPresent();
        assertThat(store.sessions().find("02".repeat(32))).isEmpty();
        assertThat(store.sessions().find(others)).isPresent();
        assertThat(store.sessions().deleteForUserExcept("carol", kept)).isZero();
    }

    // ---- key file and migrations ----

    @Test
    void refusesAKeyFileThatDoesNotBelongToTheDatabase() throws Exception {
        Store first = open();
        String keyId = first.keyId();
        first.close();
        opened.remove(first);
        Path keyFile = home.resolve("tokengate.key");

        Files.delete(keyFile);
        assertThatThrownBy(this::open)
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining(keyId);
        assertThat(keyFile).as("no stray key was created").doesNotExist();

        Path otherKey = home.resolve("other.key");
        KeyFile other = KeyFile.loadOrCreate(otherKey, clock, new SecureRandom());
        assertThatThrownBy(() -> open(b -> b.keyFile(otherKey)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("(key id " + other.keyId() + ") does not belong to this database")
                .hasMessageContaining("created with key id " + keyId + " on " + START)
                .hasMessageContaining("every node needs the same key file");
    }

    @Test
    void migrationsAreIdempotent() throws Exception {
        StoreConfig config = fixture.config(home).build();
        assertThat(Store.migrate(config)).isEqualTo(11);
        assertThat(Store.migrate(config)).isZero();
        Store store = open();
        store.close();
        opened.remove(store);
        open();
        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM key_check")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void healthIsReady() {
        Store store = open();
        StoreHealth health = store.status().health();
        assertThat(health.databaseReachable()).isTrue();
        assertThat(health.ready()).as(health.problem()).isTrue();
    }
}
