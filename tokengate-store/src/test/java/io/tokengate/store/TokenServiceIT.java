package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.TokengateException;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.limits.LimitsSyntaxException;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.InvalidTokenSpecException;
import io.tokengate.core.token.IpAllowListSyntaxException;
import io.tokengate.core.token.SecureModeException;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenEdit;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenService;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.core.token.TokenStateException;
import io.tokengate.core.token.TokenStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token lifecycle end to end on the embedded H2 store, with a hand-moved clock. */
class TokenServiceIT {
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path home;

    MutableClock clock;
    final List<Store> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new MutableClock(START);
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Store::close);
    }

    Store open(UnaryOperator<StoreConfig.Builder> settings) {
        Store store = Store.open(settings.apply(StoreConfig.builder(home)).build(), clock);
        opened.add(store);
        return store;
    }

    TokenService tokens() {
        return open(b -> b).tokens();
    }

    void reopen(Store store) {
        store.close();
        opened.remove(store);
    }

    @Test
    void createsBoundAndUnboundTokens() {
        TokenService tokens = tokens();
        CreatedToken bound = tokens.create(TokenSpec.bound("  ci  ", " alice ", "admin"));
        assertThat(bound.token().name()).isEqualTo("ci");
        assertThat(bound.token().boundUser()).contains("alice");
        assertThat(bound.token().isBound()).isTrue();
        assertThat(bound.token().createdBy()).isEqualTo("admin");
        assertThat(bound.token().createdAt()).isEqualTo(START);
        assertThat(bound.token().expiresAt()).isNull();
        assertThat(bound.secret().reveal()).startsWith("tgk_").hasSize(42);
        assertThat(bound.token().hint()).isEqualTo(bound.secret().hint());

        CreatedToken unbound = tokens.create(TokenSpec.unbound("shared", "admin"));
        assertThat(unbound.token().isBound()).isFalse();
        assertThat(tokens.verify(unbound.secret())).isPresent();
    }

    @Test
    void expiresByDateOrDays() {
        TokenService tokens = tokens();
        Instant at = START.plus(Duration.ofDays(3)).plusMillis(1);
        CreatedToken byDate =
                tokens.create(TokenSpec.bound("by date", "alice", "alice").withExpiry(Expiry.at(at)));
        CreatedToken byDays =
                tokens.create(TokenSpec.bound("by days", "alice", "alice").withExpiry(Expiry.inDays(7)));
        assertThat(byDate.token().expiresAt()).isEqualTo(at);
        assertThat(byDays.token().expiresAt()).isEqualTo(START.plus(Duration.ofDays(7)));

        assertThat(tokens.verify(byDate.secret())).isPresent(); // now cached
        clock.advance(Duration.ofDays(3).plusMillis(1));
        assertThat(tokens.verify(byDate.secret()))
                .as("expired, even though cached")
                .isEmpty();
        assertThat(tokens.show(byDate.token().id()).orElseThrow().status(clock)).isEqualTo(TokenStatus.EXPIRED);
        assertThat(tokens.verify(byDays.secret())).isPresent();

        assertThatThrownBy(() ->
                        tokens.create(TokenSpec.bound("past", "alice", "alice").withExpiry(Expiry.at(START))))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("not in the future");
        assertThatThrownBy(() -> Expiry.inDays(0)).hasMessageContaining("daysUntilExpiry");
    }

    @Test
    void capsLifetimeByPolicy() {
        TokenService tokens = open(b -> b.maxLifetimeDays(90)).tokens();
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("forever", "alice", "alice")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("never expires is not allowed")
                .hasMessageContaining("token.max.lifetime.days = 90");
        assertThatThrownBy(() ->
                        tokens.create(TokenSpec.bound("long", "alice", "alice").withExpiry(Expiry.inDays(91))))
                .isInstanceOf(InvalidTokenSpecException.class)
                .satisfies(
                        e -> assertThat(((InvalidTokenSpecException) e).field()).isEqualTo("daysUntilExpiry"))
                .hasMessageContaining("beyond the 90-day limit set by token.max.lifetime.days");
        CreatedToken ok = tokens.create(
                TokenSpec.bound("ok", "alice", "alice").withExpiry(Expiry.at(START.plus(Duration.ofDays(90)))));
        assertThatThrownBy(() -> tokens.edit(ok.token().id(), TokenEdit.none().withExpiry(Expiry.never())))
                .isInstanceOf(InvalidTokenSpecException.class);
        assertThat(tokens.list(TokenQuery.all()).total()).isEqualTo(1);

        clock.advance(Duration.ofDays(10));
        assertThatThrownBy(() -> tokens.edit(ok.token().id(), TokenEdit.none().withExpiry(Expiry.inDays(90))))
                .as("the cap counts from creation: edits cannot keep a token alive past it")
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("for a token created " + START)
                .hasMessageContaining(START.plus(Duration.ofDays(90)).toString());
        assertThat(tokens.edit(ok.token().id(), TokenEdit.none().withExpiry(Expiry.inDays(80))))
                .hasValueSatisfying(t -> assertThat(t.expiresAt()).isEqualTo(START.plus(Duration.ofDays(90))));
    }

    @Test
    void rejectsInvalidInputAndStoresNothing() {
        TokenService tokens = tokens();
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("bad", "alice", "alice")
                        .withLimits(".*/rest/api/2/issue/JRA.*\n.*/rest/x[Header::a==b]")))
                .isInstanceOfSatisfying(LimitsSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isPositive();
                })
                .hasMessageStartingWith("line 2, column ");
        assertThatThrownBy(() -> tokens.create(
                        TokenSpec.bound("bad", "alice", "alice").withAllowedIps("10.0.0.0/8, 10.0.0.300")))
                .isInstanceOfSatisfying(IpAllowListSyntaxException.class, e -> assertThat(e.entry())
                        .isEqualTo(2))
                .hasMessageContaining("'10.0.0.300'");
        assertThatThrownBy(() -> tokens.create(
                        TokenSpec.bound("bad", "example.com", "alice").withAllowedIps("jira.example.com")))
                .isInstanceOf(IpAllowListSyntaxException.class)
                .hasMessageContaining("host names are not accepted");
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("bad", "ali:ce", "alice")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("':'");
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound(" ", "alice", "alice")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessage("name: must not be blank");
        assertThat(tokens.list(TokenQuery.all()).total()).isZero();
    }

    @Test
    void refusesASecretPastedIntoTheNameOrTheLimits() {
        TokenService tokens = tokens();
        CreatedToken created = tokens.create(TokenSpec.bound("ci", "alice", "alice"));
        String secret = created.secret().reveal();
        String pastedCurl = "curl -u alice:" + secret + " https://jira.example.com/rest/api/2/issue/AAA-1";
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("job " + secret, "alice", "alice")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessage("name: contains a token secret; never put a secret here");
        assertThatThrownBy(() ->
                        tokens.create(TokenSpec.bound("job", "alice", "alice").withLimits(pastedCurl)))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessage("limits: contains a token secret; never put a secret here");
        assertThatThrownBy(() ->
                        tokens.create(TokenSpec.bound("job", "alice", "alice").withLimits(".*/issue/" + secret)))
                .as("even where the limits would parse")
                .hasMessage("limits: contains a token secret; never put a secret here");
        assertThatThrownBy(
                        () -> tokens.edit(created.token().id(), TokenEdit.none().withLimits(".*/issue/" + secret)))
                .hasMessage("limits: contains a token secret; never put a secret here");
        assertThat(tokens.list(TokenQuery.all()).total()).isOne();
        assertThat(tokens.show(created.token().id()).orElseThrow().limits()).isEmpty();
    }

    @Test
    void editsInStandardMode() {
        TokenService tokens = tokens();
        CreatedToken created =
                tokens.create(TokenSpec.bound("ci", "alice", "alice").withLimits(".*"));
        TokenId id = created.token().id();
        assertThat(tokens.verify(created.secret())).isPresent();

        Token edited = tokens.edit(
                        id,
                        TokenEdit.none()
                                .withLimits("[get].*/rest/api/2/issue/.*")
                                .withAllowedIps("192.168.1.7")
                                .withExpiry(Expiry.inDays(1)))
                .orElseThrow();
        assertThat(edited.limits()).isEqualTo("[get].*/rest/api/2/issue/.*");
        assertThat(edited.allowedIps().toString()).isEqualTo("192.168.1.7");
        assertThat(edited.expiresAt()).isEqualTo(START.plus(Duration.ofDays(1)));
        assertThat(tokens.verify(created.secret()))
                .hasValueSatisfying(v -> assertThat(v.limits().toString()).isEqualTo("[GET].*/rest/api/2/issue/.*"));

        assertThatThrownBy(() -> tokens.edit(id, TokenEdit.none().withLimits("[QueryParam::a==b]")))
                .isInstanceOf(LimitsSyntaxException.class);
        assertThat(tokens.show(id).orElseThrow().limits()).isEqualTo(edited.limits());
    }

    @Test
    void rotationKillsTheOldSecretAtOnce() {
        TokenService tokens = tokens();
        CreatedToken created = tokens.create(
                TokenSpec.bound("ci", "alice", "alice").withLimits(".*/rest/.*").withAllowedIps("10.0.0.0/8"));
        assertThat(tokens.verify(created.secret())).isPresent(); // cached now
        CreatedToken rotated = tokens.rotate(created.token().id()).orElseThrow();
        assertThat(tokens.verify(created.secret())).isEmpty();
        assertThat(tokens.verify(rotated.secret())).isPresent();
        assertThat(rotated.secret()).isNotEqualTo(created.secret());
        assertThat(rotated.token().hint()).isEqualTo(rotated.secret().hint());
        assertThat(rotated.token().limits()).isEqualTo(created.token().limits());
        assertThat(rotated.token().allowedIps()).isEqualTo(created.token().allowedIps());
        assertThat(tokens.reveal(created.token().id())).contains(rotated.secret());

        tokens.revoke(created.token().id());
        assertThatThrownBy(() -> tokens.rotate(created.token().id()))
                .isInstanceOf(TokenStateException.class)
                .hasMessageContaining("revoked");
        assertThat(tokens.rotate(new TokenId("tok_0000000000000000"))).isEmpty();
    }

    @Test
    void revokedTokenIsRefusedAtOnce() {
        TokenService tokens = tokens();
        CreatedToken created = tokens.create(TokenSpec.bound("ci", "alice", "alice"));
        assertThat(tokens.verify(created.secret())).isPresent();
        tokens.revoke(created.token().id());
        assertThat(tokens.verify(created.secret())).isEmpty();

        TokenId id = created.token().id();
        assertThatThrownBy(() -> tokens.edit(id, TokenEdit.none().withLimits(".*")))
                .as("what a revoked token could do stays on record")
                .isInstanceOf(TokenStateException.class)
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> tokens.reveal(id))
                .isInstanceOf(TokenStateException.class)
                .hasMessageContaining("revoked");
        assertThat(tokens.show(id).orElseThrow().limits()).isEmpty();
    }

    @Test
    void verifiesFromMemoryOnlyAnActiveTokenTheCacheHolds() {
        TokenService tokens = tokens();
        CreatedToken expiring = tokens.create(
                TokenSpec.bound("ci", "alice", "alice").withExpiry(Expiry.at(START.plus(Duration.ofSeconds(10)))));
        assertThat(tokens.verifyFromMemory(expiring.secret()))
                .as("not looked up yet")
                .isEmpty();
        assertThat(tokens.verify(expiring.secret())).isPresent();
        assertThat(tokens.verifyFromMemory(expiring.secret())).hasValueSatisfying(v -> assertThat(v.id())
                .isEqualTo(expiring.token().id()));
        clock.advance(Duration.ofSeconds(11)); // well within the cache's TTL
        assertThat(tokens.verifyFromMemory(expiring.secret()))
                .as("expired while cached")
                .isEmpty();

        CreatedToken revoked = tokens.create(TokenSpec.bound("cd", "alice", "alice"));
        assertThat(tokens.verify(revoked.secret())).isPresent();
        assertThat(tokens.verifyFromMemory(revoked.secret())).isPresent();
        tokens.revoke(revoked.token().id());
        assertThat(tokens.verifyFromMemory(revoked.secret())).as("revoked").isEmpty();
    }

    @Test
    void standardModeRevealsTheSameSecret() {
        TokenService tokens = tokens();
        CreatedToken created = tokens.create(TokenSpec.bound("ci", "alice", "alice"));
        assertThat(tokens.reveal(created.token().id())).contains(created.secret());
        assertThat(tokens.reveal(new TokenId("tok_0000000000000000"))).isEmpty();
    }

    @Test
    void encryptedCopyCannotBeMovedToAnotherToken() throws Exception {
        TokenService tokens = tokens();
        CreatedToken a = tokens.create(TokenSpec.bound("a", "alice", "alice"));
        CreatedToken b = tokens.create(TokenSpec.bound("b", "alice", "alice"));
        try (Connection c = rawConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE tokens SET secret_sealed = (SELECT secret_sealed FROM tokens WHERE id = ?) WHERE id = ?")) {
            ps.setString(1, a.token().id().value());
            ps.setString(2, b.token().id().value());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThatThrownBy(() -> tokens.reveal(b.token().id()))
                .isInstanceOf(TokengateException.class)
                .hasMessageContaining("moved from another row");
    }

    /**
     * Limits saved by an earlier version that this one refuses, such as the original page's
     * {@code [method]} placeholder (which then allowed every method): the token fails closed.
     */
    @Test
    void aTokenWhoseStoredLimitsNoLongerParseIsRefused() throws Exception {
        TokenService tokens = tokens();
        CreatedToken created =
                tokens.create(TokenSpec.bound("old", "alice", "admin").withLimits(".*/rest/.*"));
        try (Connection c = rawConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE tokens SET limits_text = ? WHERE id = ?")) {
            ps.setString(1, "[method].*/rest/api/.*");
            ps.setString(2, created.token().id().value());
            assertThat(ps.executeUpdate()).isOne();
        }
        reopen(opened.get(0));
        TokenService upgraded = tokens();
        assertThat(upgraded.verify(created.secret())).isEmpty();
        assertThat(upgraded.verify(created.secret())).as("each time").isEmpty();
        assertThat(upgraded.show(created.token().id()))
                .as("still listed, to be edited")
                .isPresent();
    }

    @Test
    void namesThatReadAsOthersAreRefused() {
        TokenService tokens = tokens();
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("x", "ad\u200bmin", "admin")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("user")
                .hasMessageContaining("the invisible character U+200B (ZERO WIDTH SPACE)");
        assertThatThrownBy(() -> tokens.create(TokenSpec.bound("prod-read\u202eetirw", "alice", "admin")))
                .isInstanceOf(InvalidTokenSpecException.class)
                .hasMessageContaining("U+202E");
    }

    /**
     * The record of secure mode turned on at start is written before the start goes on, not within
     * the writer's flush interval (a minute here): a node killed just after starting keeps it.
     */
    @Test
    void secureModeTurnedOnAtStartIsOnRecordBeforeTheStoreServes() {
        Store secure = open(b -> b.secureMode(true).auditQueue(1000, 250, Duration.ofMinutes(1)));
        assertThat(secure.auditLog()
                        .query(AuditQuery.all().withKind(AuditKind.SETTING_CHANGE))
                        .events())
                .extracting(AuditEvent::reason)
                .anySatisfy(reason -> assertThat(reason).startsWith("secure mode turned on for the database"));
    }

    /** A keeper's row left by a process killed long ago is deleted by the next node that keeps. */
    @Test
    void aKilledKeepersRowIsForgottenLongAfterItStoppedCounting() throws Exception {
        reopen(open(b -> b));
        try (Connection c = rawConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO secure_mode_keepers (process, node, seen_at) VALUES ('killed', 'gone', ?)")) {
            ps.setObject(
                    1,
                    java.time.OffsetDateTime.ofInstant(
                            clock.instant().minus(Duration.ofHours(2)), java.time.ZoneOffset.UTC));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        reopen(open(b -> b.secureMode(true)));
        try (Connection c = rawConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT node FROM secure_mode_keepers")) {
            List<String> nodes = new ArrayList<>();
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
            assertThat(nodes).doesNotContain("gone");
        }
    }

    @Test
    void secureModeRefusesRevealAndEditButRevokes() throws Exception {
        Store standard = open(b -> b);
        CreatedToken before = standard.tokens().create(TokenSpec.bound("made in standard mode", "alice", "alice"));
        CreatedToken kept = standard.tokens().create(TokenSpec.bound("kept through secure mode", "alice", "alice"));
        assertThat(countSealed()).isEqualTo(2);
        reopen(standard);

        TokenService tokens = open(b -> b.secureMode(true)).tokens();
        assertThat(countSealed()).as("encrypted copies erased at start-up").isZero();
        TokenId id = before.token().id();
        assertThatThrownBy(() -> tokens.reveal(id))
                .isInstanceOf(SecureModeException.class)
                .hasMessageContaining("secure mode (token.secure.mode, on for this database)");
        assertThatThrownBy(() -> tokens.edit(id, TokenEdit.none().withName("renamed")))
                .isInstanceOf(SecureModeException.class)
                .hasMessageContaining("secure mode");
        assertThatThrownBy(() -> tokens.edit(id, TokenEdit.none().withExpiry(Expiry.inDays(1))))
                .isInstanceOf(SecureModeException.class);

        CreatedToken fresh = tokens.create(TokenSpec.bound("made in secure mode", "alice", "alice"));
        assertThat(fresh.secret()).isNotNull();
        assertThat(countSealed()).as("no copy kept in secure mode").isZero();
        assertThat(tokens.verify(fresh.secret())).isPresent();
        CreatedToken rotated = tokens.rotate(fresh.token().id()).orElseThrow();
        assertThat(tokens.verify(rotated.secret())).isPresent();
        assertThat(countSealed()).isZero();

        assertThat(tokens.verify(before.secret())).isPresent();
        assertThat(tokens.revoke(id))
                .hasValueSatisfying(r -> assertThat(r.token().status(clock)).isEqualTo(TokenStatus.REVOKED));
        assertThat(tokens.verify(before.secret())).isEmpty();
        assertThat(tokens.delete(fresh.token().id())).isTrue();
        reopen(opened.get(0));

        Store standardAgain = open(b -> b);
        assertThat(standardAgain.tokens().secureMode())
                .as("the database stays in secure mode for a node set to standard")
                .isTrue();
        assertThatThrownBy(() -> standardAgain.tokens().reveal(kept.token().id()))
                .isInstanceOf(SecureModeException.class);
        assertThat(standardAgain.secureMode().leave("ops")).isTrue();
        TokenService backToStandard = standardAgain.tokens();
        assertThatThrownBy(() -> backToStandard.reveal(rotated.token().id()).orElseThrow())
                .isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> backToStandard.reveal(kept.token().id()))
                .isInstanceOf(TokenStateException.class)
                .hasMessageContaining("not stored");
        assertThatThrownBy(() -> backToStandard.reveal(id))
                .isInstanceOf(TokenStateException.class)
                .hasMessageContaining("revoked");
    }

    private Connection rawConnection() throws Exception {
        return StoreFixture.h2().connect(home);
    }

    private int countSealed() throws Exception {
        try (Connection c = rawConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tokens WHERE secret_sealed IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
