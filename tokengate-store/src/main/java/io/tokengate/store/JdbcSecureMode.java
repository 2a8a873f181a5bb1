package io.tokengate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Secure mode as the database records it: table {@code secure_mode} (one row while the database is
 * in it: since when, and which node turned it on) and table {@code secure_mode_keepers} (each
 * running process set to secure mode, and when it last said so). What the nodes do about it is
 * {@link SecureModeKeeping}'s; the token repository asks only whether it is on.
 */
final class JdbcSecureMode {
    /** How long after it was last heard a keeper's row is deleted. */
    static final Duration FORGOTTEN_AFTER = Duration.ofHours(1);

    private final Database db;

    JdbcSecureMode(Database db) {
        this.db = db;
    }

    /** When secure mode was turned on for the database, and by which node; see {@link #current()}. */
    record SecureModeOn(Instant since, String node) {}

    /** Whether the database is in secure mode, since when and turned on by which node. */
    Optional<SecureModeOn> current() {
        return db.read("reading whether the database is in secure mode", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT since, node FROM secure_mode WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SecureModeOn(Jdbc.instant(rs, "since"), rs.getString("node")))
                        : Optional.<SecureModeOn>empty();
            }
        });
    }

    /**
     * Turns secure mode on for the database, unless it is.
     *
     * @return whether this call turned it on
     */
    boolean turnOn(Instant since, String node) {
        if (current().isPresent()) {
            return false;
        }
        try {
            return db.transaction("turning secure mode on for the database", c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO secure_mode (id, since, node) VALUES (1, ?, ?)")) {
                    Jdbc.setInstant(ps, 1, since);
                    ps.setString(2, node);
                    return ps.executeUpdate() == 1;
                }
            });
        } catch (StoreConflictException e) {
            return false; // another node turned it on first
        }
    }

    /**
     * Turns secure mode off, erasing every stored secret copy in the same transaction: the only
     * copies left are those a standard node sealed in the instant before it saw secure mode turned
     * on (the erasure at that start did not see them), which secure mode promised never to show.
     *
     * @return whether secure mode was on
     */
    boolean turnOff() {
        return db.transaction("turning secure mode off for the database", c -> {
            try (PreparedStatement erase = c.prepareStatement(
                            "UPDATE tokens SET secret_sealed = NULL WHERE secret_sealed IS NOT NULL");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM secure_mode WHERE id = 1")) {
                boolean wasOn = delete.executeUpdate() == 1;
                if (wasOn) {
                    erase.executeUpdate();
                }
                return wasOn;
            }
        });
    }

    /** Says that {@code process}, of {@code node}, runs with token.secure.mode=true, now. */
    void keeping(String process, String node, Instant now) {
        db.transaction("saying that this node keeps secure mode", c -> {
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE secure_mode_keepers SET seen_at = ? WHERE process = ?")) {
                Jdbc.setInstant(update, 1, now);
                update.setString(2, process);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO secure_mode_keepers (process, node, seen_at) VALUES (?, ?, ?)")) {
                        insert.setString(1, process);
                        insert.setString(2, node);
                        Jdbc.setInstant(insert, 3, now);
                        insert.executeUpdate();
                    }
                }
            }
            // Rows of processes killed without saying they stop: long past counting (a keeper
            // counts for minutes), kept an hour for nodes whose clocks run behind this one's.
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM secure_mode_keepers WHERE seen_at < ?")) {
                Jdbc.setInstant(forget, 1, now.minus(FORGOTTEN_AFTER));
                forget.executeUpdate();
            }
            return null;
        });
    }

    /** {@code process} stops: it keeps secure mode no longer. */
    void stoppedKeeping(String process) {
        db.transaction("saying that this node stops keeping secure mode", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM secure_mode_keepers WHERE process = ?")) {
                ps.setString(1, process);
                return ps.executeUpdate();
            }
        });
    }

    /** The nodes that said they keep secure mode at or after {@code since}, most recent first. */
    List<SecureModeKeeper> keepers(Instant since) {
        return db.read("reading which nodes keep secure mode", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT node, seen_at FROM secure_mode_keepers WHERE seen_at >= ? ORDER BY seen_at DESC")) {
                Jdbc.setInstant(ps, 1, since);
                List<SecureModeKeeper> keepers = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keepers.add(new SecureModeKeeper(rs.getString("node"), Jdbc.instant(rs, "seen_at")));
                    }
                }
                return keepers;
            }
        });
    }
}
