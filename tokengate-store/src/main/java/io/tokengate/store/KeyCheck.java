package io.tokengate.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Makes sure the key file belongs to the database: the first start records the key's fingerprint;
 * every later start compares. A key file that was lost and regenerated, or copied from another
 * installation, fails the start with an explanation instead of a stream of 401s.
 */
public final class KeyCheck {
    private KeyCheck() {}

    /**
     * What a start would refuse about {@code keyFile} and {@code db}, found without changing either
     * ({@code config check}): a missing key file for a database that has a key, or a key file of
     * another database. Empty when the start would go ahead, a database without a key included.
     */
    public static Optional<String> mismatch(Database db, Path keyFile) {
        Recorded recorded;
        try {
            recorded = db.read("reading the key check", c -> read(c));
        } catch (StoreException e) {
            return Optional.empty(); // no schema yet: the first start makes it, and records the key
        }
        if (recorded == null) {
            return Optional.empty();
        }
        try {
            if (!Files.exists(keyFile)) {
                requireFirstStart(db, keyFile);
            } else {
                compare(db, recorded, KeyFile.load(keyFile));
            }
            return Optional.empty();
        } catch (KeyFileException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Refuses to create a new key file for a database that already has a key: that key file is
     * missing, and a new one could never verify its tokens.
     */
    static void requireFirstStart(Database db, Path keyFile) {
        Recorded recorded = db.read("reading the key check", c -> read(c));
        if (recorded != null) {
            throw new KeyFileException("The key file " + keyFile.toAbsolutePath()
                    + " does not exist, but this database ("
                    + db.describe() + ") was created with key id " + recorded.keyId() + " on " + recorded.createdAt()
                    + ". Without that key no token can be verified: restore the key file from a backup or from"
                    + " another node of the cluster, or point key.file to it.");
        }
    }

    static void verify(Database db, KeyFile key, Clock clock) {
        Recorded recorded = db.read("reading the key check", c -> read(c));
        if (recorded == null) {
            try {
                db.transaction("recording the key check", c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO key_check (id, key_id, fingerprint, created_at) VALUES (1, ?, ?, ?)")) {
                        ps.setString(1, key.keyId());
                        ps.setString(2, key.fingerprint());
                        ps.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                    return null;
                });
                return;
            } catch (StoreConflictException e) {
                // Another node recorded its key first: compare with that one.
                recorded = db.read("reading the key check", c -> read(c));
            }
        }
        compare(db, recorded, key);
    }

    private static void compare(Database db, Recorded recorded, KeyFile key) {
        boolean same = MessageDigest.isEqual(
                recorded.fingerprint().getBytes(StandardCharsets.US_ASCII),
                key.fingerprint().getBytes(StandardCharsets.US_ASCII));
        if (!same) {
            throw new KeyFileException("The key file " + key.path() + " (key id " + key.keyId()
                    + ") does not belong to this database (" + db.describe() + ", created with key id "
                    + recorded.keyId() + " on " + recorded.createdAt() + "). Token secrets cannot be verified with"
                    + " another key: restore the original key file, or point key.file to it. In a cluster every node"
                    + " needs the same key file.");
        }
    }

    private static Recorded read(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT key_id, fingerprint, created_at FROM key_check WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Recorded(
                    rs.getString(1),
                    rs.getString(2).trim(),
                    rs.getObject(3, OffsetDateTime.class).toInstant());
        }
    }

    private record Recorded(String keyId, String fingerprint, Instant createdAt) {}
}
