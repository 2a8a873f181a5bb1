package io.tokengate.bench;

import io.tokengate.store.Database;
import io.tokengate.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away database for one benchmark trial: the embedded H2 file database in a temp home, or
 * a fresh database on the PostgreSQL server named by {@code TOKENGATE_BENCH_PG_URL} (default
 * {@value #DEFAULT_PG_URL}), dropped at the end. Also counts rows behind the store's back, for the
 * no-loss checks.
 */
final class BenchDatabase implements AutoCloseable {
    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final Path home;
    private final String pgAdminUrl;
    private final String pgName;

    private BenchDatabase(Path home, String pgAdminUrl, String pgName) {
        this.home = home;
        this.pgAdminUrl = pgAdminUrl;
        this.pgName = pgName;
    }

    /** {@code vendor} is {@code h2} or {@code postgresql}. */
    static BenchDatabase create(String vendor) throws IOException, SQLException {
        Path home = Files.createTempDirectory("tokengate-bench-");
        switch (vendor) {
            case "h2":
                return new BenchDatabase(home, null, null);
            case "postgresql":
                String admin = System.getenv().getOrDefault("TOKENGATE_BENCH_PG_URL", DEFAULT_PG_URL);
                String name = "tg_bench_"
                        + UUID.randomUUID()
                                .toString()
                                .replace("-", "")
                                .substring(0, 12)
                                .toLowerCase(Locale.ROOT);
                try (Connection c = DriverManager.getConnection(admin);
                        Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                return new BenchDatabase(home, admin, name);
            default:
                throw new IllegalArgumentException("unknown database '" + vendor + "' (expected h2 or postgresql)");
        }
    }

    /** Store settings for this database, otherwise the defaults a server runs with. */
    StoreConfig.Builder config() {
        StoreConfig.Builder builder = StoreConfig.builder(home);
        return pgName == null ? builder : builder.database(url(), null, null);
    }

    private String url() {
        if (pgName == null) {
            return Database.embeddedUrl(home);
        }
        int hostStart = pgAdminUrl.indexOf("//") + 2;
        int slash = pgAdminUrl.indexOf('/', hostStart);
        int query = pgAdminUrl.indexOf('?', hostStart);
        return pgAdminUrl.substring(0, slash) + "/" + pgName + (query < 0 ? "" : pgAdminUrl.substring(query));
    }

    /** The one number {@code sql} selects, read on a connection of its own. */
    long number(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (pgName != null) {
            try (Connection c = DriverManager.getConnection(pgAdminUrl);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
