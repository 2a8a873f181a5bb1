package io.tokengate.store;

import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Refuses, at start, a database this process can only read: an embedded one whose files it may
 * not write (H2 then opens them read-only, without a word), or a PostgreSQL standby. Either would
 * let the gateway serve while every audit record and token change is refused.
 */
final class WritableCheck {
    private WritableCheck() {}

    /** @throws StoreException naming what to do, when {@code db} takes no writes */
    static void require(Database db) {
        boolean h2 = db.vendor() == Database.Vendor.H2;
        boolean readOnly = db.read("checking that the database can be written", c -> {
            String sql = h2 ? "SELECT READONLY()" : "SELECT current_setting('transaction_read_only')";
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                String answer = rs.getString(1);
                return "true".equalsIgnoreCase(answer) || "on".equalsIgnoreCase(answer);
            }
        });
        if (!readOnly) {
            return;
        }
        throw new StoreException(
                h2
                        ? "the embedded database (" + db.describe() + ") can only be read: its files are not writable"
                                + " by this user (" + System.getProperty("user.name") + "). Make the home's data"
                                + " directory and its files theirs (chown -R), then start again"
                        : "the database (" + db.describe() + ") takes no writes (a standby, or"
                                + " default_transaction_read_only): connect to the primary",
                null);
    }
}
