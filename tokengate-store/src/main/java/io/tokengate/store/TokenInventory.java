package io.tokengate.store;

import io.tokengate.core.limits.LimitsParser;
import io.tokengate.core.limits.LimitsSyntaxException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code config check} says about the tokens stored: those whose limits this version refuses
 * (saved by an earlier one, such as the original page's {@code [method]} placeholder), which fail
 * closed at every use until their limits are edited.
 */
public final class TokenInventory {
    private TokenInventory() {}

    /** A token in force that cannot be used as stored, and why. */
    public record Unusable(String id, String name, String problem) {}

    /**
     * The tokens neither revoked nor expired at {@code now} whose stored limits no longer parse.
     *
     * @throws StoreException when the tokens cannot be read (a database not yet migrated, say)
     */
    public static List<Unusable> withLimitsThatNoLongerParse(Database db, Instant now) {
        return db.read("reading the limits of the tokens in force", c -> {
            List<Unusable> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, limits_text FROM tokens"
                    + " WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
                Jdbc.setInstant(ps, 1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            LimitsParser.parse(rs.getString(3));
                        } catch (LimitsSyntaxException e) {
                            found.add(new Unusable(rs.getString(1), rs.getString(2), e.getMessage()));
                        }
                    }
                }
            }
            return found;
        });
    }
}
