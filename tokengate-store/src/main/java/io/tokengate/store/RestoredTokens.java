package io.tokengate.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore undoes about tokens: a backup holds each token as it was when it was taken, so a
 * token revoked or deleted since works again, and one rotated since works with its secret of then
 * (the newer one no longer). When the restore replaced a database, the two are compared, and the
 * tokens this concerns are named, for the operator to revoke or rotate again; otherwise the
 * operator is only told that it may be so.
 */
final class RestoredTokens {
    /** Most token ids named per kind of change; the rest are counted. */
    private static final int NAMED = 20;

    private RestoredTokens() {}

    /** One token as a database holds it: whether revoked, and the digest of its secret. */
    private record State(String name, boolean revoked, String digest) {}

    /**
     * Warnings about the tokens the restored database in {@code restored} brings back as they were
     * at the backup, compared with the database set aside in {@code replaced}; both are embedded H2
     * directories, read only.
     */
    static List<String> compare(Path restored, Path replaced) {
        Map<String, State> now;
        Map<String, State> before;
        try {
            now = read(restored);
            before = read(replaced);
        } catch (SQLException | RuntimeException e) {
            return List.of("could not compare the restored tokens with those of the replaced database ("
                    + e.getMessage() + "): " + unknown());
        }
        List<String> revoked = new ArrayList<>();
        List<String> rotated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int created = 0;
        for (Map.Entry<String, State> entry : now.entrySet()) {
            State restoredState = entry.getValue();
            State replacedState = before.get(entry.getKey());
            String token = entry.getKey() + " (" + restoredState.name() + ")";
            if (restoredState.revoked()) {
                continue;
            }
            if (replacedState == null) {
                deleted.add(token);
            } else if (replacedState.revoked()) {
                revoked.add(token);
            } else if (!replacedState.digest().equals(restoredState.digest())) {
                rotated.add(token);
            }
        }
        for (String id : before.keySet()) {
            if (!now.containsKey(id)) {
                created++;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!revoked.isEmpty()) {
            warnings.add(
                    named(revoked) + " revoked since the backup, active again: revoke " + them(revoked) + " again");
        }
        if (!rotated.isEmpty()) {
            warnings.add(named(rotated) + " rotated since the backup, working with the secret of before the rotation"
                    + " (the newer one no longer): rotate " + them(rotated) + " again");
        }
        if (!deleted.isEmpty()) {
            warnings.add(named(deleted) + " deleted since the backup, active again: revoke or delete " + them(deleted)
                    + " again");
        }
        if (created > 0) {
            warnings.add(
                    created == 1
                            ? "1 token created since the backup is gone: its secret no longer works"
                            : created + " tokens created since the backup are gone: their secrets no longer work");
        }
        return warnings;
    }

    /** The warning of a restore that replaced no database: nothing to compare with. */
    static String unknown() {
        return "tokens revoked, rotated or deleted since the backup work again with their secrets of then;"
                + " revoke or rotate those again";
    }

    private static String them(List<String> tokens) {
        return tokens.size() == 1 ? "it" : "them";
    }

    private static String named(List<String> tokens) {
        String names = String.join(", ", tokens.subList(0, Math.min(NAMED, tokens.size())));
        String more = tokens.size() > NAMED ? " and " + (tokens.size() - NAMED) + " more" : "";
        return (tokens.size() == 1 ? "token " : tokens.size() + " tokens ") + names + more;
    }

    private static Map<String, State> read(Path directory) throws SQLException {
        Map<String, State> tokens = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(EmbeddedH2.readOnlyUrl(directory));
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, revoked_at, secret_digest FROM tokens ORDER BY created_at, id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tokens.put(
                        rs.getString(1),
                        new State(
                                rs.getString(2),
                                rs.getObject(3) != null,
                                rs.getString(4).trim()));
            }
        }
        return tokens;
    }
}
