package io.tokengate.store;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a restore would undo about tokens: a backup holds each token as it was when it was taken,
 * so a token revoked or deleted since would work again, and one rotated since would work with its
 * secret of then, which its rotation meant to end (a leaked secret is the usual reason). When the
 * restore replaces a database, the two are compared: by default those tokens are restored revoked
 * ({@link #toRevoke()}), so that a restore never gives a secret back its access; with {@code
 * --revive}, meant for undoing a mistaken revoke, they are restored as they were, and named for
 * the operator to revoke or rotate again. Tokens edited since the backup are restored as they were
 * at it and named either way: whether an edit narrowed or widened a token cannot be told.
 */
final class RestoredTokens {
    /** Most token ids named per kind of change; the rest are counted. */
    private static final int NAMED = 20;

    /** One token as a database holds it. */
    private record State(String name, boolean revoked, String digest, String terms) {}

    /** A token named in a warning. */
    private record Named(String id, String name) {
        @Override
        public String toString() {
            return id + " (" + name + ")";
        }
    }

    private final List<Named> revoked = new ArrayList<>();
    private final List<Named> rotated = new ArrayList<>();
    private final List<Named> deleted = new ArrayList<>();
    private final List<Named> edited = new ArrayList<>();
    /** Not in the replaced database, with no record of a deletion there: it may be another home's. */
    private final List<Named> unknown = new ArrayList<>();

    private int created;

    private RestoredTokens() {}

    /**
     * Compares the tokens of the restored database in {@code restored} with those of the database
     * set aside in {@code replaced}; both are embedded H2 directories, read only.
     *
     * @throws SQLException when either cannot be read
     */
    private static RestoredTokens compare(Path restored, Path replaced) throws SQLException {
        Map<String, State> now;
        long lastRecord;
        try (Connection c = DriverManager.getConnection(EmbeddedH2.readOnlyUrl(restored))) {
            now = tokens(c);
            lastRecord = lastRecord(c);
        }
        Map<String, State> before;
        Set<String> deletedSince;
        try (Connection c = DriverManager.getConnection(EmbeddedH2.readOnlyUrl(replaced))) {
            before = tokens(c);
            deletedSince = deletedSince(c, lastRecord);
        }
        RestoredTokens changes = new RestoredTokens();
        for (Map.Entry<String, State> entry : now.entrySet()) {
            State restoredState = entry.getValue();
            State replacedState = before.get(entry.getKey());
            Named token = new Named(entry.getKey(), restoredState.name());
            if (restoredState.revoked()) {
                continue;
            }
            if (replacedState == null) {
                (deletedSince.contains(entry.getKey()) ? changes.deleted : changes.unknown).add(token);
            } else if (replacedState.revoked()) {
                changes.revoked.add(token);
            } else if (!replacedState.digest().equals(restoredState.digest())) {
                changes.rotated.add(token);
            } else if (!replacedState.terms().equals(restoredState.terms())) {
                changes.edited.add(token);
            }
        }
        for (String id : before.keySet()) {
            if (!now.containsKey(id)) {
                changes.created++;
            }
        }
        return changes;
    }

    /**
     * Compares the restored database in {@code data} with the one it replaced, and unless {@code
     * revive}, revokes the tokens that the restore would otherwise give back their access, each
     * with an audit record by {@code actor}; returns what the operator is told. Throws what the
     * store throws when they cannot be revoked, for the restore to be undone, and a {@link
     * StoreException} when the replaced database cannot be read, unless {@code revive}: which
     * tokens the restore would give their access back cannot then be told, and a restore fails
     * closed (a corrupt database is a usual reason to restore, so the message names the way on).
     */
    static List<String> settle(
            StoreConfig config, Path data, Path replaced, boolean revive, String actor, Clock clock) {
        RestoredTokens changes;
        try {
            changes = RestoredTokens.compare(data, replaced);
        } catch (SQLException | RuntimeException e) {
            if (!revive) {
                throw new StoreException(
                        "the database it replaces cannot be read (" + e.getMessage() + "), so the tokens revoked,"
                                + " rotated or deleted since the backup cannot be told, and restored they would"
                                + " work again with their secrets of then. --revive restores it anyway; then revoke"
                                + " or rotate those again",
                        e);
            }
            return List.of("could not compare the restored tokens with those of the replaced database ("
                    + e.getMessage() + "): " + unknown());
        }
        Map<TokenId, String> revoke = revive ? Map.of() : changes.toRevoke();
        if (!revoke.isEmpty()) {
            try (Store restored = Store.open(config, clock, false)) {
                for (Map.Entry<TokenId, String> revoked : revoke.entrySet()) {
                    TokenId id = revoked.getKey();
                    Token token = restored.tokens().revoke(id).orElseThrow().token();
                    restored.auditSink()
                            .record(AuditEvent.builder(AuditKind.TOKEN_REVOKE, clock.instant())
                                    .node(config.nodeId())
                                    .actor(actor)
                                    .token(id, token.name())
                                    .effectiveUser(token.boundUser().orElse(null))
                                    .decision(AuditDecision.ALLOW, revoked.getValue())
                                    .build());
                }
            }
        }
        return changes.warnings(revive);
    }

    /**
     * The tokens a restore revokes unless told to revive them, revoked, rotated or deleted since
     * the backup, each with why, for its audit record.
     */
    Map<TokenId, String> toRevoke() {
        Map<TokenId, String> revoke = new LinkedHashMap<>();
        for (Map.Entry<String, List<Named>> kind :
                List.of(Map.entry("revoked", revoked), Map.entry("rotated", rotated), Map.entry("deleted", deleted))) {
            for (Named token : kind.getValue()) {
                revoke.put(
                        new TokenId(token.id()),
                        "db restore: " + kind.getKey() + " since the backup, so restored revoked");
            }
        }
        return revoke;
    }

    /**
     * What the operator is told: about the tokens restored revoked, or with {@code revived} about
     * those working again; and either way about the tokens edited or created since the backup.
     */
    List<String> warnings(boolean revived) {
        List<String> warnings = new ArrayList<>();
        if (!revoked.isEmpty()) {
            warnings.add(named(revoked) + " revoked since the backup, "
                    + (revived ? "active again: revoke " + them(revoked) + " again" : "restored revoked"));
        }
        if (!rotated.isEmpty()) {
            warnings.add(named(rotated) + " rotated since the backup, "
                    + (revived
                            ? "working with the secret of before the rotation (the newer one no longer): rotate "
                                    + them(rotated) + " again"
                            : "restored revoked (the secret of before the rotation no longer works, and the backup"
                                    + " holds no newer one): make a new token where one is still needed"));
        }
        if (!deleted.isEmpty()) {
            warnings.add(named(deleted) + " deleted since the backup, "
                    + (revived
                            ? "active again: revoke or delete " + them(deleted) + " again"
                            : "restored revoked: delete " + them(deleted) + " again to remove "
                                    + (deleted.size() == 1 ? "it" : "them") + " from the list"));
        }
        if (!edited.isEmpty()) {
            warnings.add(named(edited) + " edited since the backup (limits, allowed addresses, rate limit, expiry"
                    + " or bound user), restored as at the backup: edit " + them(edited) + " again");
        }
        if (!unknown.isEmpty()) {
            warnings.add(named(unknown) + " not in the replaced database, whose audit log does not say "
                    + (unknown.size() == 1 ? "it was" : "they were") + " deleted since the backup: restored as at"
                    + " the backup (expected if that database was another home's; if "
                    + (unknown.size() == 1 ? "it was" : "they were") + " deleted, revoke or delete "
                    + them(unknown) + " again)");
        }
        if (created > 0) {
            warnings.add(
                    created == 1
                            ? "1 token created since the backup is gone: its secret no longer works"
                            : created + " tokens created since the backup are gone: their secrets no longer work");
        }
        return warnings;
    }

    /** The warning of a restore that has nothing to compare with, or could not compare. */
    static String unknown() {
        return "tokens revoked, rotated or deleted since the backup work again with their secrets of then;"
                + " revoke or rotate those again";
    }

    private static String them(List<Named> tokens) {
        return tokens.size() == 1 ? "it" : "them";
    }

    private static String named(List<Named> tokens) {
        String names = String.join(
                ", ",
                tokens.subList(0, Math.min(NAMED, tokens.size())).stream()
                        .map(Named::toString)
                        .toList());
        String more = tokens.size() > NAMED ? " and " + (tokens.size() - NAMED) + " more" : "";
        return (tokens.size() == 1 ? "token " : tokens.size() + " tokens ") + names + more;
    }

    /** The id of the restored database's newest audit record: the replaced one's later records are since the backup. */
    private static long lastRecord(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM audit_events");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The tokens whose deletion the audit log {@code c} reads records after its record {@code
     * after}: deleted since the backup, when both databases are one home's (ids then continue); in
     * another home's database, tokens the backup does not hold.
     */
    private static Set<String> deletedSince(Connection c, long after) throws SQLException {
        Set<String> deleted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT token_id FROM audit_events"
                + " WHERE id > ? AND kind = 'TOKEN_DELETE' AND decision = 'ALLOW' AND token_id IS NOT NULL")) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getString(1));
                }
            }
        }
        return deleted;
    }

    /** Every token of the database {@code c} reads, by id. */
    private static Map<String, State> tokens(Connection c) throws SQLException {
        Map<String, State> tokens = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, revoked_at, secret_digest, limits_text,"
                        + " allowed_ips, rate_limit, expires_at, bound_user FROM tokens ORDER BY created_at, id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String terms = String.join(
                        "\u0000",
                        rs.getString(5),
                        rs.getString(6),
                        Objects.toString(rs.getString(7)),
                        Objects.toString(rs.getObject(8)),
                        Objects.toString(rs.getString(9)));
                tokens.put(
                        rs.getString(1),
                        new State(
                                rs.getString(2),
                                rs.getObject(3) != null,
                                rs.getString(4).trim(),
                                terms));
            }
        }
        return tokens;
    }
}
