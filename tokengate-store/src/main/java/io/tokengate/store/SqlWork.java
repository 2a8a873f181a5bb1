package io.tokengate.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on one connection; see {@link Database#transaction}. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
