package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL {@code db.url}'s TLS settings looked at before any connection: files under the
 * home, mistakes refused with what to do, a database across the network that is not verified
 * warned about, credentials never repeated.
 */
class PostgresUrlTest {
    private static final String SECRET = "pw-in-url-8d2a";

    @TempDir
    Path home;

    @Test
    void aRelativeFileIsUnderTheHomeNotTheWorkingDirectory() {
        String url = "jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert=tls/ca%20bundle.pem"
                + "&sslcert=/etc/pki/client.pem&ApplicationName=x";
        assertThat(PostgresUrl.withFilesUnder(url, home))
                .isEqualTo("jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert="
                        + URLEncoder.encode(
                                home.toAbsolutePath()
                                        .resolve("tls/ca bundle.pem")
                                        .toString(),
                                StandardCharsets.UTF_8)
                        + "&sslcert=/etc/pki/client.pem&ApplicationName=x");
        assertThat(PostgresUrl.withFilesUnder("jdbc:postgresql://db.example.com/tg", home))
                .isEqualTo("jdbc:postgresql://db.example.com/tg");
    }

    @Test
    void aCaFileThatIsMissingIsNamedWithTheSetting() throws Exception {
        Path ca = Files.writeString(home.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(PostgresUrl.problems("jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert=" + ca))
                .isEmpty();
        assertThat(PostgresUrl.problems(
                        "jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert=" + home + "/nope.pem"))
                .containsExactly("db.url: sslrootcert " + home + "/nope.pem does not exist");
        assertThat(PostgresUrl.problems("jdbc:postgresql://db.example.com/tg?sslmode=require&sslkey=" + home))
                .containsExactly("db.url: sslkey " + home + " is a directory, not a PEM file");
    }

    @Test
    void anUnknownSslmodeIsRefused() {
        assertThat(PostgresUrl.problems("jdbc:postgresql://db.example.com/tg?sslmode=verify_full"))
                .containsExactly(
                        "db.url: sslmode=verify_full is none of disable, allow, prefer, require, verify-ca, verify-full");
    }

    @Test
    void aPasswordBeforeTheHostIsRefusedAndNeverShown() {
        String url = "jdbc:postgresql://tg:" + SECRET + "@db.example.com:5432/tg?sslmode=verify-full";
        assertThat(PostgresUrl.problems(url))
                .containsExactly("db.url: the PostgreSQL driver does not read a user or password in the URL"
                        + " (//USER:PASSWORD@HOST): give them as db.user and db.password");
        assertThat(Database.redact(url)).isEqualTo("jdbc:postgresql://db.example.com:5432/tg");
        assertThat(Database.redact("jdbc:postgresql://tg:a/b@c@db.example.com/tg"))
                .doesNotContain("a/b");
    }

    @Test
    void aDatabaseAcrossTheNetworkThatIsNotVerifiedIsWarnedAbout() {
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg"))
                .hasValueSatisfying(w -> assertThat(w)
                        .startsWith("db.url: the database on db.example.com is reached over the network and"
                                + " sslmode=prefer (the driver's default) falls back to plain text")
                        .endsWith("use sslmode=verify-full&sslrootcert=CA.pem (the PEM file of the CA that signed"
                                + " the database's certificate; a relative path is under the home)"));
        assertThat(PostgresUrl.unverified("jdbc:postgresql://10.0.0.5,db2.example.com:5433/tg?sslmode=require"))
                .hasValueSatisfying(w -> assertThat(w)
                        .startsWith("db.url: the database on 10.0.0.5, db2.example.com is reached over the network"
                                + " and sslmode=require encrypts but does not check whose certificate it gets"));
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg?sslrootcert=/etc/ca.pem"))
                .as("a CA file does not make the driver check the certificate")
                .hasValueSatisfying(w -> assertThat(w)
                        .contains("sslmode=prefer (the driver's default) falls back to plain text where the server"
                                + " allows it, and checks no certificate (sslrootcert is read with verify-ca or"
                                + " verify-full only)"));
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg?sslmode=verify-full"
                        + "&sslfactory=org.postgresql.ssl.NonValidatingFactory"))
                .hasValueSatisfying(w -> assertThat(w).contains("NonValidatingFactory trusts any certificate"));
    }

    @Test
    void aVerifiedOrLoopbackDatabaseIsNotWarnedAbout() {
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg?sslmode=verify-full"))
                .isEmpty();
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg?sslmode=verify-ca"))
                .isEmpty();
        assertThat(PostgresUrl.unverified("jdbc:postgresql://db.example.com/tg?ssl=true"))
                .as("ssl=true without sslmode is verify-full to the driver")
                .isEmpty();
        assertThat(PostgresUrl.unverified("jdbc:postgresql://127.0.0.1:5432/tg"))
                .isEmpty();
        assertThat(PostgresUrl.unverified("jdbc:postgresql://localhost,[::1]/tg?sslmode=disable"))
                .isEmpty();
        assertThat(PostgresUrl.unverified(null)).isEmpty();
    }
}
