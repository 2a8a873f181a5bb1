package io.tokengate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS files a PostgreSQL {@code db.url} names are read where the administrator put them, under
 * the home when relative, whatever directory the service manager starts tokengate in; one that
 * cannot be read stops the start at once, named with its setting, rather than every connection
 * failing for the pool's timeout.
 */
class DbUrlTlsTest {
    private static final String SECRET = "pw-before-host-5e1";

    @TempDir
    Path home;

    @Test
    void aRelativeCaFileIsUnderTheHome() throws Exception {
        Files.createDirectories(home.resolve("tls"));
        Files.writeString(home.resolve("tls/db-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(
                home.resolve("tokengate.properties"),
                "upstream.url=https://jira.example.com\n"
                        + "db.url=jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert=tls/db-ca.pem\n");
        assertThat(ConfigLoader.load(home, Map.of(), Map.of(), false).store().dbUrl())
                .isEqualTo("jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert="
                        + home.toAbsolutePath()
                                .resolve("tls/db-ca.pem")
                                .toString()
                                .replace("/", "%2F"));
    }

    @Test
    void aCaFileThatDoesNotExistStopsTheStartNamingWhereItWasLookedFor() {
        List<String> problems = ConfigProblems.of(
                home, Map.of("db.url", "jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslrootcert=ca.pem"));
        assertThat(problems)
                .containsExactly("db.url: sslrootcert " + home.toAbsolutePath().resolve("ca.pem") + " does not exist");
    }

    @Test
    void aClientKeysPasswordOnTheCommandLineIsSentToTheSettingsFile() {
        List<String> problems = ConfigProblems.of(
                home,
                Map.of(
                        "db.url",
                        "jdbc:postgresql://db.example.com/tg?sslmode=verify-full&sslkey=/etc/k.pk8&sslpassword="
                                + SECRET));
        assertThat(problems)
                .containsExactly("--db-url carries sslpassword (the client key's), which every user of this machine"
                        + " can read in its process list: set db.url in tokengate.properties (or TOKENGATE_DB_URL)"
                        + " instead");
    }

    @Test
    void aPasswordBeforeTheHostIsRefusedWithoutBeingRepeated() throws Exception {
        Files.writeString(
                home.resolve("tokengate.properties"),
                "db.url=jdbc:postgresql://tg:" + SECRET + "@db.example.com/tg?sslmode=verify-full\n");
        List<String> problems = ConfigProblems.of(home, Map.of());
        assertThat(problems)
                .containsExactly("db.url: the PostgreSQL driver does not read a user or password in the URL"
                        + " (//USER:PASSWORD@HOST): give them as db.user and db.password");
        assertThat(String.join("\n", problems)).doesNotContain(SECRET);
    }
}
