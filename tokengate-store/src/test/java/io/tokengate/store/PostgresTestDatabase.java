package io.tokengate.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database for one test: created on the server named by {@code
 * TOKENGATE_TEST_PG_URL} (default {@value #DEFAULT_URL}) and dropped on close. Fails, never skips,
 * when PostgreSQL is not reachable.
 */
final class PostgresTestDatabase implements AutoCloseable {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private final String adminUrl;
    private final String name;
    private final String url;

    private PostgresTestDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = withDatabase(adminUrl, name);
    }

    static PostgresTestDatabase create() {
        String adminUrl = System.getenv().getOrDefault("TOKENGATE_TEST_PG_URL", DEFAULT_URL);
        String name = "tg_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + adminUrl + " (" + e.getMessage() + "). The PostgreSQL tests need"
                    + " a server with trust authentication: start it (e.g. 'apt-get install -y postgresql &&"
                    + " pg_ctlcluster 15 main start') or set TOKENGATE_TEST_PG_URL to a JDBC URL of a server where"
                    + " the user may create databases.");
        }
        return new PostgresTestDatabase(adminUrl, name);
    }

    /** {@code base} with its database name replaced by {@code database}. */
    static String withDatabase(String base, String database) {
        int hostStart = base.indexOf("//") + 2;
        int slash = base.indexOf('/', hostStart);
        int query = base.indexOf('?', hostStart);
        String head = slash < 0 ? (query < 0 ? base : base.substring(0, query)) : base.substring(0, slash);
        String tail = query < 0 ? "" : base.substring(query);
        return head + "/" + database + tail;
    }

    String url() {
        return url;
    }

    String name() {
        return name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Runs SQL as the administrator, on the administrator's database. */
    void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Makes the database refuse new connections and ends the existing ones. */
    void makeUnavailable() throws SQLException {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    void makeAvailable() throws SQLException {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
