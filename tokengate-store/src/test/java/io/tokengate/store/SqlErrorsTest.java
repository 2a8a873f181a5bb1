package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.Test;

/**
 * Which failures leave an audit record queued for another try ("unavailable") and which refuse
 * that one record. A full disk must be the first: the same record is accepted once there is room.
 */
class SqlErrorsTest {

    @Test
    void aFullDiskUnderH2IsTheDatabasesTroubleNotTheRecords() {
        // H2 2.3 reports a failed write as general error 50000, its MVStore's exception as cause.
        SQLException full = new SQLException(
                "General error: \"org.h2.mvstore.MVStoreException: Writing to tokengate.mv.db failed\"",
                "HY000",
                50000,
                DataUtils.newMVStoreException(
                        DataUtils.ERROR_WRITING_FAILED,
                        "Writing to {0} failed; length {1} at {2}",
                        "tokengate.mv.db",
                        4096,
                        0,
                        new IOException("No space left on device")));
        assertThat(SqlErrors.isUnavailable(full)).isTrue();
        assertThat(SqlErrors.translate("H2", "writing audit records", full))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void anInputOutputErrorAnywhereInTheCausesIsUnavailable() {
        SQLException wrapped =
                new SQLException("wrapped", "HY000", 50000, new RuntimeException(new IOException("EIO")));
        assertThat(SqlErrors.isUnavailable(wrapped)).isTrue();
    }

    @Test
    void aRecordTheDatabaseRefusesIsNotRetried() {
        SQLException tooLong = new SQLException("Value too long for column", "22001", 22001);
        SQLException duplicate = new SQLIntegrityConstraintViolationException("duplicate key", "23505", 23505);
        assertThat(SqlErrors.isUnavailable(tooLong)).isFalse();
        assertThat(SqlErrors.isUnavailable(duplicate)).isFalse();
    }

    /**
     * A connection of its own that the database refuses makes the whole node take it as away
     * only when the refusal says so: not when the database turns that one connection away (too
     * many clients, a wrong password) while the pool's connections still work.
     */
    @Test
    void aRefusedConnectionSaysTheDatabaseIsAwayOnlyWhenItIs() {
        assertThat(SqlErrors.saysAway(new SQLException("Connection to 127.0.0.1:5432 refused", "08001")))
                .isTrue();
        assertThat(SqlErrors.saysAway(new SQLException("the database system is shutting down", "57P03")))
                .isTrue();
        assertThat(SqlErrors.saysAway(new SQLException("sorry, too many clients already", "53300")))
                .isFalse();
        assertThat(SqlErrors.saysAway(new SQLException("password authentication failed", "28P01")))
                .isFalse();
        assertThat(SqlErrors.saysAway(new SQLException("no state"))).isFalse();
    }
}
