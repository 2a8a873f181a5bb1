package io.tokengate.server.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database of its own for one test, created on the server at {@code
 * TOKENGATE_TEST_PG_URL} (default 127.0.0.1:5432, user postgres) and dropped on close, whoever is
 * still connected.
 */
final class ScratchDatabase implements AutoCloseable {
    private static final String ADMIN_URL = System.getenv()
            .getOrDefault("TOKENGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String name;

    private ScratchDatabase(String name) {
        this.name = name;
    }

    /** A fresh database named {@code prefix} and 12 random hex digits. */
    static ScratchDatabase create(String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return new ScratchDatabase(name);
    }

    String name() {
        return name;
    }

    /** Its JDBC URL on 127.0.0.1:5432, as user postgres. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is needed at " + ADMIN_URL + " (run .ci/setup): " + e.getMessage(), e);
        }
    }
}
