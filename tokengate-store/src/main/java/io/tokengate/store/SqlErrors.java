package io.tokengate.store;

import io.tokengate.core.Causes;
import io.tokengate.core.TokengateException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.h2.mvstore.MVStoreException;

/** Sorts JDBC failures into "unavailable, try again later" and "broken". */
final class SqlErrors {
    /** H2 error codes (also its SQL states) that mean the database is gone or going. */
    private static final Set<String> H2_UNAVAILABLE = Set.of(
            "90067", // connection broken
            "90098", // database is closed
            "90121", // database called at VM shutdown
            "90020", // database may be already in use
            "90135", // database is in exclusive mode
            "90028", // IO exception
            "90097" // database is read only: its files were made unwritable while it ran
            );

    private SqlErrors() {}

    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (storageFailed(e)) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources
                || state.startsWith("57") // operator intervention: shutdown, cannot connect now, cancel
                || state.startsWith("40") // rollback: serialization failure, deadlock; retry
                || state.equals("3D000") // database does not exist (dropped, or not created yet)
                || state.equals("25006") // read-only transaction: a standby, until failover ends
                || H2_UNAVAILABLE.contains(state);
    }

    /**
     * Whether the database could not read or write its storage: an I/O error anywhere in the
     * causes (a full disk, a file made unreadable), or H2's storage layer failing (H2 reports a full
     * disk as a "general error" whose cause is its MVStore's). That is the database's trouble, not
     * the statement's: the same statement succeeds once the disk has room, so an audit record is
     * kept and retried rather than dropped.
     */
    private static boolean storageFailed(Throwable e) {
        return Causes.any(e, t -> t instanceof java.io.IOException || t instanceof MVStoreException);
    }

    /**
     * Whether a failure to connect says the database is away: it refused the connection or did not
     * answer (class 08), or is shutting down or starting up (57P01-57P03); not that it turned this
     * one connection away (too many connections, a wrong password), while the pool's connections
     * may still work.
     */
    static boolean saysAway(SQLException e) {
        String state = e.getSQLState();
        return state != null
                && (state.startsWith("08") || Set.of("57P01", "57P02", "57P03").contains(state));
    }

    /** What to say when {@link #heldByAnotherProcess}. */
    static DatabaseHeldException held(String database, String doing, Throwable e) {
        return new DatabaseHeldException(
                "The embedded database (" + database + ") is held by another process,"
                        + " most likely a tokengate server on this home (one that is stopping holds it for up to 90 s):"
                        + " stop it first (while " + doing + ")",
                e);
    }

    /** Whether H2 refused to open its file because another process has it open. */
    static boolean heldByAnotherProcess(Throwable e) {
        return Causes.any(e, t -> t instanceof SQLException sql && "90020".equals(sql.getSQLState()));
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** The exception to throw for {@code e}, which happened while {@code doing} something. */
    static TokengateException translate(String database, String doing, SQLException e) {
        SQLException cause =
                e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        if (heldByAnotherProcess(e)) {
            return held(database, doing, e);
        }
        if (isUnavailable(cause) || isUnavailable(e)) {
            return new StoreUnavailableException(
                    "The token store (" + database + ") is unavailable while " + doing + ": " + brief(cause), e);
        }
        if (isUniqueViolation(cause)) {
            return new StoreConflictException("conflict while " + doing + ": " + brief(cause), e);
        }
        return new StoreException("database error while " + doing + " (" + database + "): " + brief(cause), e);
    }

    /**
     * The driver's message, cut short: drivers echo whole statements with their values (a batch of
     * audit rows, say), which belongs neither in a log line nor in an HTTP error. A failure to set
     * up TLS is said in the words of {@code db.url} ({@link TlsFailures}).
     */
    static String brief(SQLException e) {
        String cut = cut(e);
        return TlsFailures.explain(e, cut).orElse(cut);
    }

    /**
     * Whether {@code e}, a failure to connect, is one that trying again does not mend: TLS as
     * {@code db.url} sets it up and as the database offers it do not agree (a certificate of
     * another CA, or expired, a host it does not name, a database that takes TLS only). Only a
     * change to {@code db.url} or to the database's certificate does.
     */
    static boolean isPermanentTlsFailure(Throwable e) {
        return e instanceof SQLException sql
                && TlsFailures.explain(sql, cut(sql)).isPresent();
    }

    private static String cut(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        return firstLine.length() <= 240 ? firstLine : firstLine.substring(0, 239) + "…";
    }
}
