package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster on a PostgreSQL that takes TLS connections only: with {@code sslmode=verify-full} and
 * the CA's file, every connection (the pool's, the listener's) is encrypted and a revoke reaches
 * the other node within a second; each way an administrator gets the TLS settings wrong is said in
 * the words of {@code db.url}, and never with the password.
 */
class TlsPostgresIT {
    private static TlsPostgres postgres;

    @TempDir
    Path home;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TlsPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void withVerifyFullEveryConnectionIsEncryptedAndARevokeReachesTheOtherNodeWithinASecond() throws Exception {
        String url = postgres.url("localhost", "sslmode=verify-full&sslrootcert=" + postgres.ca());
        try (Store a = node(url, "node-a");
                Store b = node(url, "node-b")) {
            CreatedToken created = a.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long hits;
            do { // until B answers from its cache: the creation's notice may drop the first lookup
                assertThat(System.nanoTime())
                        .as("B never served the token from its cache")
                        .isLessThan(deadline);
                hits = b.cache().hits();
                assertThat(b.tokens().verify(created.secret())).isPresent();
            } while (b.cache().hits() == hits);

            long start = System.nanoTime();
            a.tokens().revoke(created.token().id());
            while (b.tokens().verify(created.secret()).isPresent()) {
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("the revoke on A reached B over the TLS listener")
                        .isLessThan(Duration.ofSeconds(1));
                Thread.onSpinWait();
            }
            assertThat(connections(url))
                    .as("tokengate's connections, each with whether it is TLS")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c).endsWith(" ssl=true"))
                    .anySatisfy(c -> assertThat(c).startsWith("tokengate-listener-node-b "));
        }
    }

    @Test
    void aPlainConnectionIsSaidToNeedTls() {
        assertThat(failure(postgres.url("localhost", "sslmode=disable")))
                .contains("no encryption: the database takes TLS connections only; add"
                        + " sslmode=verify-full&sslrootcert=CA.pem to db.url");
    }

    @Test
    void aCertificateOfAnotherCaIsSaidToNeedTheCaThatSignedIt() {
        assertThat(failure(postgres.url("localhost", "sslmode=verify-full&sslrootcert=" + postgres.otherCa())))
                .contains("the database's TLS certificate is not signed by the CA that db.url trusts: set sslrootcert"
                        + " in db.url to the PEM file of the CA that signed it");
    }

    @Test
    void aHostTheCertificateDoesNotNameIsNamed() {
        assertThat(failure(postgres.url("127.0.0.1", "sslmode=verify-full&sslrootcert=" + postgres.ca())))
                .contains("the database's TLS certificate does not name 127.0.0.1, the host db.url names"
                        + " (sslmode=verify-full): name the database in db.url as its certificate does, or use"
                        + " sslmode=verify-ca to check the CA only");
    }

    @Test
    void aTlsFailureThatRetryingCannotMendIsSaidWithoutWaitingTheConnectionTimeout() {
        Duration connectionTimeout = Duration.ofSeconds(30);
        StoreConfig config = StoreConfig.builder(home)
                .database(
                        postgres.url("localhost", "sslmode=verify-full&sslrootcert=" + postgres.otherCa()),
                        TlsPostgres.USER,
                        TlsPostgres.PASSWORD)
                .pool(2, connectionTimeout)
                .build();
        long start = System.nanoTime();
        Throwable thrown;
        try (Database db = Database.open(config)) {
            thrown = catchThrowable(() -> db.requireAnswer(Duration.ofSeconds(5))); // as config check asks
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("config check waited the whole connection timeout for a certificate of another CA")
                .isLessThan(connectionTimeout.dividedBy(2));
        assertThat(thrown)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("no database connection, and trying again will not give one: the database's"
                        + " TLS certificate is not signed by the CA that db.url trusts")
                .hasMessageNotContaining(TlsPostgres.PASSWORD);
    }

    /** What a store on {@code url} says when it cannot connect: every message of the chain. */
    private String failure(String url) {
        StoreConfig config = StoreConfig.builder(home)
                .database(url, TlsPostgres.USER, TlsPostgres.PASSWORD)
                // Long enough for a first TLS handshake on a busy machine: the pool reports the
                // failure behind its timeout only once a connection attempt has failed.
                .pool(2, Duration.ofSeconds(3))
                .build();
        Throwable thrown;
        try (Database db = Database.open(config)) {
            thrown = catchThrowable(db::migrate);
        }
        assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
        List<String> messages = new ArrayList<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.add(t.toString());
        }
        String all = String.join("\n", messages);
        assertThat(all).doesNotContain(TlsPostgres.PASSWORD);
        return thrown.getMessage();
    }

    private Store node(String url, String id) {
        return Store.open(
                StoreConfig.builder(home) // one home: both nodes share the key file
                        .database(url, TlsPostgres.USER, TlsPostgres.PASSWORD)
                        .pool(4, Duration.ofSeconds(2))
                        .nodeId(id)
                        .build(),
                Clock.systemUTC());
    }

    /** Each tokengate connection to the database: its application name and whether it is TLS. */
    private static List<String> connections(String url) throws Exception {
        Properties login = new Properties();
        login.setProperty("user", TlsPostgres.USER);
        login.setProperty("password", TlsPostgres.PASSWORD);
        login.setProperty("ApplicationName", "test");
        List<String> connections = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, login);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT a.application_name, s.ssl FROM pg_stat_activity a JOIN"
                        + " pg_stat_ssl s USING (pid) WHERE a.datname = current_database()"
                        + " AND a.application_name LIKE 'tokengate%'")) {
            while (rs.next()) {
                connections.add(rs.getString(1) + " ssl=" + rs.getBoolean(2));
            }
        }
        return connections;
    }
}
